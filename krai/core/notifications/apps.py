from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "krai.core.notifications"
    label = "notifications"

    def ready(self) -> None:
        from krai.core.account_menu import register_account_link

        # the page that subscribes this phone or computer to web push, in the account menu of both faces
        register_account_link("notifications-devices", pgettext_lazy("account menu", "My devices"),
                              "notifications:devices", order=900)
