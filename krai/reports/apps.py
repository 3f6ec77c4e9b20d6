from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.reports"
    label = "reports"
    verbose_name = _("Periodic reports")

    def ready(self) -> None:
        from krai.core.notifications.preferences import register_category
        from krai.reports import (
            rules,  # noqa: F401 — it registers itself
            sections,
        )

        sections.load()
        register_category("reports", _("Periodic reports"))
