from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.social"
    label = "social"
    verbose_name = _("Community")

    def ready(self) -> None:
        from krai.core.notifications.preferences import register_category
        from krai.social import rules, subscribers  # noqa: F401 — they register themselves

        register_category("social", _("Community"))
