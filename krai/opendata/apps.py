from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "krai.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from krai.opendata import importers  # noqa: F401 — registers the upload with the import kernel
