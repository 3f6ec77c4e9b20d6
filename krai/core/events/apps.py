from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "krai.core.events"
    label = "events"
