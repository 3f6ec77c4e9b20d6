"""Consolidation's tables: the source side's push cursor, the receiver's sources and their consolidated orders.

A vice-governor's installation keeps one ``PushCursor`` per upstream URL (a newly connected upstream starts from
the outbox's beginning); the Department of Control's installation keeps one ``ConsolidationSource`` per pushing
installation and one ``ConsolidatedOrder`` per order it received, the latest version only. The protocol between
them is described in ``krai.integration.consolidation.protocol``.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: statuses of an order under control, as the control engine names them (an unknown one is shown as sent)
STATUS_LABELS = {
    "issued": _("issued"),
    "in_progress": _("in progress"),
    "reported": _("report submitted"),
    "done": _("executed"),
    "cancelled": _("cancelled"),
}


class PushCursor(models.Model):
    """How far the upstream installation has acknowledged this installation's outbox (delivery bookkeeping).

    ``last_event_id`` only moves when the upstream answered 2xx for the batch that ends there, so a crash or a
    refusal anywhere leaves it where it was and the same batch goes again. ``gaps`` are ids the outbox skipped
    when it was read (a transaction still open then, or rolled back): they are looked at again for an hour, so a
    late commit is pushed too. ``generation`` changes with a full resend, so a push that was under way then
    cannot move the cursor back over it.
    """

    upstream = models.CharField(_("upstream"), max_length=300, unique=True)
    last_event_id = models.BigIntegerField(_("last acknowledged event"), default=0)
    gaps = models.JSONField(_("skipped event ids"), default=list, blank=True)
    generation = models.PositiveIntegerField(default=0)
    resend_version = models.BigIntegerField(_("resend of every order at version"), null=True, blank=True)
    resend_after = models.BigIntegerField(default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    orders_sent = models.PositiveIntegerField(_("orders sent"), default=0)
    batches_sent = models.PositiveIntegerField(_("batches sent"), default=0)

    class Meta:
        verbose_name = _("push cursor")
        verbose_name_plural = _("push cursors")

    def __str__(self) -> str:
        return f"{self.upstream} @ {self.last_event_id}"


class ConsolidationSource(models.Model):
    """An installation that pushes its orders here (created at its first accepted push, or by the demo)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    url = models.CharField(_("address"), max_length=300, blank=True)
    first_received_at = models.DateTimeField(_("first contact"), default=timezone.now)
    last_received_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_version = models.BigIntegerField(_("last version"), default=0)
    batches_received = models.PositiveIntegerField(_("batches received"), default=0)

    class Meta:
        verbose_name = _("consolidated installation")
        verbose_name_plural = _("consolidated installations")
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name or self.code


class ConsolidatedOrder(models.Model):
    """The latest snapshot of one order of a source installation, as it was pushed (only a newer version
    replaces it). ``overdue`` is what the source said; the pages count overdue from the deadline and status."""

    source = models.ForeignKey(ConsolidationSource, on_delete=models.CASCADE, related_name="orders",
                               verbose_name=_("installation"))
    remote_id = models.BigIntegerField(_("id at the installation"))
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    executor = models.CharField(_("lead executor"), max_length=500, blank=True)
    executor_code = models.CharField(_("lead executor's code"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20)
    is_open = models.BooleanField(_("under control"), default=True)
    overdue = models.BooleanField(_("overdue (as sent)"), default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    last_report_on = models.DateField(_("last report"), null=True, blank=True)
    url = models.CharField(_("link at the installation"), max_length=500, blank=True)
    version = models.BigIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"), default=dict)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("consolidated order")
        verbose_name_plural = _("consolidated orders")
        ordering = ["deadline", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "remote_id"], name="consolidation_order_once")]
        indexes = [
            models.Index(fields=["source", "status"], name="consolidation_src_status"),
            models.Index(fields=["deadline", "id"], condition=Q(is_open=True), name="consolidation_open_deadline"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.title}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def is_overdue(self, today: date | None = None) -> bool:
        """Still under control after its deadline, by this installation's calendar (derived, like the engine's)."""
        return bool(self.is_open and self.deadline and self.deadline < (today or timezone.localdate()))
