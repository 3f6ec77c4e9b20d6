from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.monitoring.rankings"
    label = "rankings"
    verbose_name = _("Federal rankings")

    def ready(self) -> None:
        from krai.core.notifications import preferences
        from krai.monitoring.rankings import importers, tile  # noqa: F401 — they register themselves

        preferences.register_category("rankings", _("Federal rankings"))
