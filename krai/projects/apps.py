from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.projects"
    label = "projects"
    verbose_name = _("Projects and programmes")

    def ready(self) -> None:
        from krai.core.notifications.preferences import register_category
        from krai.projects import importers, subscribers, tile  # noqa: F401 — they register themselves

        register_category("projects", _("Projects and programmes"))
