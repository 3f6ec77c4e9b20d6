"""Webhooks: an endpoint (a registered system's subscription to domain events) and a delivery of one event to one
endpoint.

A delivery is the unit of retry, dead letter and replay. Its message id (``msg_<event>_<endpoint>``) is derived
from the pair, so it stays the same across retries and replays: the receiver deduplicates by it (it is sent as
``webhook-id``). Each attempt is a row of the exchange log (``integration.ExchangeMessage``) whose correlation id is
that message id, so the attempts are not copied here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped


class EndpointScope(models.TextChoices):
    REGION = "region", _("the whole region")
    ORGANISATION = "organisation", _("an organisation and its units")
    MUNICIPALITY = "municipality", _("a municipality")
    BLOCK = "block", _("a block of the government")


class Endpoint(TimeStamped):
    """Where a registered system wants to be told of events: its URL, the kinds of event, and the part of the
    region they must concern. Signed with its own secret (Standard Webhooks, ``whsec_…``)."""

    system = models.ForeignKey("integration.ExternalSystem", on_delete=models.PROTECT,
                               related_name="webhook_endpoints", verbose_name=_("system"))
    url = models.CharField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=300, blank=True)
    event_kinds = models.JSONField(_("kinds of event"), default=list, blank=True,
                                   help_text=_("Patterns: orders.order_issued, orders.*, control.*, or * for all."))
    scope = models.CharField(_("scope"), max_length=16, choices=EndpointScope.choices, default=EndpointScope.REGION)
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality"))
    block = models.ForeignKey("org.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("block"))
    secret = models.CharField(_("signing secret"), max_length=100)
    # the secret before the last rotation still signs (a second signature) until this moment, so that the
    # receiver can switch without losing messages
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["system__name", "id"]
        constraints = [
            models.CheckConstraint(
                name="webhooks_endpoint_scope_target",
                condition=(
                    Q(scope="region", organisation__isnull=True, municipality__isnull=True, block__isnull=True)
                    | Q(scope="organisation", organisation__isnull=False, municipality__isnull=True,
                        block__isnull=True)
                    | Q(scope="municipality", municipality__isnull=False, organisation__isnull=True,
                        block__isnull=True)
                    | Q(scope="block", block__isnull=False, organisation__isnull=True, municipality__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} → {self.url}"

    @property
    def scope_target(self) -> object | None:
        return self.organisation or self.municipality or self.block

    def signing_secrets(self, now: object | None = None) -> list[str]:
        """The secrets a message is signed with now: the current one, and the previous one during its grace."""
        moment = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_until and self.previous_secret_until > moment:
            secrets.append(self.previous_secret)
        return secrets


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    DEAD = "dead", _("dead")


class Delivery(models.Model):
    """One event for one endpoint: sent until a 2xx answer, retried with back-off, dead after the last attempt."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("endpoint"))
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("event"))
    kind = models.CharField(_("kind of event"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_http_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    dead_at = models.DateTimeField(_("given up"), null=True, blank=True)
    replays = models.PositiveIntegerField(_("replays"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="webhooks_delivery_once")]
        indexes = [
            # the sender's queue: only pending rows are in it
            models.Index(fields=["next_attempt_at", "id"], condition=Q(status="pending"), name="webhooks_due"),
            models.Index(fields=["endpoint", "status", "created_at"], name="webhooks_endpoint_status"),
            models.Index(fields=["status", "created_at"], name="webhooks_status"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"

    @property
    def message_id(self) -> str:
        return message_id(self.event_id, self.endpoint_id)


def message_id(event_id: int, endpoint_id: int) -> str:
    """The receiver's idempotency key: the same for every attempt and replay of one event to one endpoint."""
    return f"msg_{event_id}_{endpoint_id}"
