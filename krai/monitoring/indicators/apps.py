from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.monitoring.indicators"
    label = "indicators"
    verbose_name = _("Target indicators")

    def ready(self) -> None:
        from krai.core.notifications.preferences import register_category
        from krai.monitoring.indicators import importers, tile  # noqa: F401 — they register themselves

        register_category("indicators", _("Target indicators"))
