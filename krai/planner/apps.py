from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.planner"
    label = "planner"
    verbose_name = _("Planner")

    def ready(self) -> None:
        from krai.core.notifications.preferences import register_category, register_own_push
        from krai.planner import rules  # noqa: F401 — it registers itself

        register_category("planner", _("Planner"))
        register_own_push("planner.reminder")  # each reminder says itself whether it comes by push
