from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "krai.core"
    label = "core"
    verbose_name = "Krai kernel"

    def ready(self) -> None:
        from krai.core import schema  # noqa: F401  (registers the OpenAPI description of token auth)
