from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.integration.docflow"
    label = "docflow"
    verbose_name = _("Document flow")
