"""Domain events: the outbox every service writes in the transaction of its change."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Something that happened in a domain, written with the change itself (never after it).

    ``kind`` is ``<app>.<what_happened>`` (``org.organisation_created``); the subject is the object the
    event is about. Rows are append-only. ``dispatched_at`` is set once the dispatcher has written one
    ``EventDelivery`` per subscriber interested in the kind (the fan-out); until then the event is pending.
    """

    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    # a deputy acting for the actor (krai.core.acting): the actor is the principal whose rights were used
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("acting deputy"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="events_subject"),
            # The dispatcher's queue: only the few undispatched rows are in this index.
            models.Index(fields=["id"], condition=Q(dispatched_at__isnull=True), name="events_undispatched"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class EventDelivery(models.Model):
    """One event handed to one subscriber: the record that makes delivery idempotent by event id.

    The handler's writes and the switch to ``done`` commit in one transaction, so a worker that dies
    mid-handler leaves the row pending and the next run retries it. A failing handler is retried with a
    growing delay until ``attempts`` reaches the limit, then the row is ``failed`` (an operator can
    retry it from the admin or with ``krai dispatch_events --retry-failed``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("delivered")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event"))
    subscriber = models.CharField(_("subscriber"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "subscriber"], name="events_delivery_once")]
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], condition=Q(status="pending"),
                         name="events_delivery_due"),
            models.Index(fields=["subscriber", "status"], name="events_delivery_sub"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscriber} ({self.status})"
