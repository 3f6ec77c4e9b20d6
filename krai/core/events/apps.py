from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "krai.core.events"
    label = "events"
    verbose_name = _("Domain events")

    def ready(self) -> None:
        from krai.core.events import registry

        registry.autodiscover()
