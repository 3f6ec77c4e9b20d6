"""The audit trail: who did what to which object, when, and from where."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One line of the audit trail, copied from a domain event or written on a log-in or log-out.

    Entries are kept apart from the event outbox (``event_id`` is a plain number, unique) so the trail
    outlives any pruning of events, and writing it twice for one event is impossible.
    """

    class Source(models.TextChoices):
        EVENT = "event", _("domain event")
        AUTH = "auth", _("authentication")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.EVENT)
    event_id = models.BigIntegerField(_("event"), unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=100)
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    actor_repr = models.CharField(_("actor as written"), max_length=300, blank=True)
    # the deputy who acted for the actor, when one did (krai.core.acting)
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("acting deputy"))
    deputy_repr = models.CharField(_("deputy as written"), max_length=300, blank=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("subject type"))
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject_repr = models.CharField(_("subject as written"), max_length=300, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "occurred_at"], name="audit_kind_time"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.kind} {self.actor_repr}"
