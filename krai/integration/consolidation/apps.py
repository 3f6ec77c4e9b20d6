from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.integration.consolidation"
    label = "consolidation"
    verbose_name = _("Consolidation")
