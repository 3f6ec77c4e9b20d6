from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "krai.portal"
    label = "portal"
