from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.integration.docflow"
    label = "docflow"
    verbose_name = _("Document flow")

    def ready(self) -> None:
        from krai.integration.docflow import importers  # noqa: F401 — it registers itself
