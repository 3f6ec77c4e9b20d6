from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "krai.org"
    label = "org"
