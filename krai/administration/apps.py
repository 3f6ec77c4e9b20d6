from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.administration"
    label = "administration"
    verbose_name = _("Administration")

    def ready(self) -> None:
        from krai.administration import rules  # noqa: F401 — it registers itself
