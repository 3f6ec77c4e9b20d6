from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.monitoring.lawsuits"
    label = "lawsuits"
    verbose_name = _("Lawsuits")

    def ready(self) -> None:
        from krai.core.privacy import register_eraser
        from krai.monitoring.lawsuits import importers, tile  # noqa: F401 — they register themselves
        from krai.monitoring.lawsuits.erasure import cases_erase_person

        register_eraser("lawsuits.cases", cases_erase_person)
