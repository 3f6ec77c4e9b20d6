"""Attachments in the admin: read-only (uploads go through the validating service)."""

from django.contrib import admin

from krai.core.files.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "mime_type", "size", "content_type", "object_id", "uploaded_by",
                    "created_at")
    list_filter = ("kind", "content_type")
    search_fields = ("original_name", "sha256", "object_id")
    list_select_related = ("content_type", "uploaded_by")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Attachment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
