from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.construction"
    label = "construction"
    verbose_name = _("Construction")

    def ready(self) -> None:
        from krai.construction import importers, rules, subscribers  # noqa: F401 — they register themselves
        from krai.core.notifications.preferences import register_category

        register_category("construction", _("Construction and works"))
