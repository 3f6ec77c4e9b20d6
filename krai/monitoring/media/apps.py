from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "krai.monitoring.media"
    label = "media"
    verbose_name = _("Mass media")

    def ready(self) -> None:
        from krai.core.notifications.preferences import register_category
        from krai.monitoring.media import tile  # noqa: F401 — it registers itself

        register_category("media", _("Mass media"))  # the spikes of one's topics (kind media.spike)
