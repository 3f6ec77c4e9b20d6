"""Overrides of the production calendar in the admin, written through the services (events, cache)."""

from django.contrib import admin

from krai.core.workcalendar import services
from krai.core.workcalendar.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working", "note", "updated_by", "updated_at")
    list_filter = ("is_working",)
    search_fields = ("note",)
    date_hierarchy = "date"
    fields = ("date", "is_working", "note")

    def get_readonly_fields(self, request, obj=None):
        return ("date",) if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        saved = services.calendar_day_set(actor=request.user, day=obj.date, is_working=obj.is_working,
                                          note=obj.note)
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        services.calendar_day_remove(actor=request.user, day=obj.date)

    def delete_queryset(self, request, queryset) -> None:
        for row in queryset:
            services.calendar_day_remove(actor=request.user, day=row.date)
