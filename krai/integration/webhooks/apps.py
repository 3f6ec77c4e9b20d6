from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.integration.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")
