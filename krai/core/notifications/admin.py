"""Notifications in the admin: to look into what someone was told (and how: inbox, e-mail, push); preferences
editable by administrators; the browsers subscribed to push, to look into (a person removes his own on his page)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from krai.core.notifications.models import Notification, NotificationPreference, PushSubscription


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at", "email_state", "push_state")
    list_filter = ("email_state", "push_state", "kind")
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


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "user_agent", "last_ok_at", "failures")
    search_fields = ("user__email", "user_agent")
    raw_id_fields = ("user",)
    list_select_related = ("user",)

    def get_readonly_fields(self, request: HttpRequest, obj: PushSubscription | None = None) -> list[str]:
        return [field.name for field in PushSubscription._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PushSubscription | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PushSubscription | None = None) -> bool:
        return False  # a person removes his own browsers on his page, which records the event
