"""The audit trail in the admin: read-only, nobody edits or deletes a line of it."""

from django.contrib import admin

from krai.core.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "actor_repr", "subject_type", "subject_id", "ip_address")
    list_filter = ("source", "kind")
    search_fields = ("kind", "actor_repr", "subject_repr", "subject_id", "ip_address", "request_id")
    date_hierarchy = "occurred_at"
    list_select_related = ("subject_type",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.has_perm("core.view_audit")
