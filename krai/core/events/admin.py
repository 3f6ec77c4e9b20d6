"""Events and their deliveries in the admin: read-only, with a retry action for failed deliveries."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from krai.core.events.models import Event, EventDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = EventDelivery
    extra = 0
    can_delete = False
    fields = ("subscriber", "status", "attempts", "next_attempt_at", "delivered_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "occurred_at", "actor", "subject_type", "subject_id", "dispatched_at")
    list_filter = ("kind",)
    search_fields = ("kind", "subject_id", "request_id")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor", "subject_type")
    show_full_result_count = False
    inlines = [DeliveryInline]


@admin.register(EventDelivery)
class EventDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "event", "subscriber", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status", "subscriber")
    search_fields = ("subscriber", "event__kind", "last_error")
    list_select_related = ("event",)
    raw_id_fields = ("event",)
    show_full_result_count = False
    actions = ["retry"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Needed for the action; every field stays read-only.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in EventDelivery._meta.fields]

    @admin.action(description=_("Retry the selected failed deliveries"))
    def retry(self, request, queryset) -> None:
        count = queryset.filter(status=EventDelivery.Status.FAILED).update(
            status=EventDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
        self.message_user(request, ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.",
                                            count) % {"count": count}, messages.SUCCESS)
