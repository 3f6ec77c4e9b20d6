"""Notifications in the admin: to look into what someone was told; preferences editable by administrators."""

from django.contrib import admin

from krai.core.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at", "email_state")
    list_filter = ("email_state", "kind")
    search_fields = ("title", "kind", "user__email")
    raw_id_fields = ("user", "event")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel", "enabled", "digest", "updated_at")
    list_filter = ("channel", "enabled", "digest")
    search_fields = ("user__email", "kind")
    raw_id_fields = ("user",)
