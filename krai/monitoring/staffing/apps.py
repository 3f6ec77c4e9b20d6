from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.monitoring.staffing"
    label = "staffing"
    verbose_name = _("Staff completeness")

    def ready(self) -> None:
        from krai.core.privacy import register_eraser
        from krai.monitoring.staffing import importers, tile  # noqa: F401 — they register themselves
        from krai.monitoring.staffing.erasure import employment_erase_person

        register_eraser("staffing.employments", employment_erase_person)
