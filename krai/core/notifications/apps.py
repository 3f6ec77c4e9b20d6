from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "krai.core.notifications"
    label = "notifications"
