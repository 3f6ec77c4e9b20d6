from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.lawmaking"
    label = "lawmaking"
    verbose_name = _("Law-making")

    def ready(self) -> None:
        from krai.core.notifications.preferences import register_category
        from krai.lawmaking import rules, subscribers  # noqa: F401 — they register themselves

        register_category("lawmaking", _("Law-making"))
