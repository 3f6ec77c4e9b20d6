from django.contrib import admin

from krai.opendata.models import Dataset, DatasetVersion


class VersionInline(admin.TabularInline):
    model = DatasetVersion
    extra = 0
    fields = ["number", "created", "row_count", "source_format", "encoding", "is_current", "file"]
    readonly_fields = fields
    can_delete = False


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["identifier", "title", "owner", "status", "kind", "frequency", "quality", "modified"]
    list_filter = ["status", "kind", "frequency"]
    search_fields = ["identifier", "title"]
    raw_id_fields = ["owner", "created_by"]
    readonly_fields = ["quality", "created", "modified", "live_code"]
    inlines = [VersionInline]
