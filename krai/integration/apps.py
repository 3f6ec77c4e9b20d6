from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.integration"
    label = "integration"
    verbose_name = _("Integration")

    def ready(self) -> None:
        from krai.integration import rules  # noqa: F401 — it registers itself
