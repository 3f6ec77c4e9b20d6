from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "krai.core"
    label = "core"
    verbose_name = "Krai kernel"
