"""Domain events: the outbox every service writes in the transaction of its change."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Something that happened in a domain, written with the change itself (never after it).

    ``kind`` is ``<app>.<what_happened>`` (``org.organisation_created``); the subject is the object the
    event is about. Rows are append-only.
    """

    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="events_subject")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"
