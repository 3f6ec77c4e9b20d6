"""What happens to an assignment under control: its append-only history (``Transition``), the executor's reports
and the issuer's decisions (``Report``), requests to move the deadline (``Extension``) and the reminders and
escalations sent (``Reminder``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.orders.models.assignments import Assignment, Status


class Transition(models.Model):
    """One change of an assignment, append-only: the legal record and the source of "as of a date"."""

    class Action(models.TextChoices):
        OPENED = "opened", _("taken on control")
        DELEGATED = "delegated", _("delegated")
        STARTED = "started", _("taken into work")
        REPORTED = "reported", _("report submitted")
        ACCEPTED = "accepted", _("removed from control as executed")
        RETURNED = "returned", _("returned for rework")
        REASSIGNED = "reassigned", _("reassigned")
        EXTENSION_REQUESTED = "extension_requested", _("extension requested")
        EXTENDED = "extended", _("deadline extended")
        RESCHEDULED = "rescheduled", _("deadline moved with the plan")
        EXTENSION_REFUSED = "extension_refused", _("extension refused")
        CANCELLED = "cancelled", _("cancelled")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="transitions")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    status = models.CharField(_("status after"), max_length=20, choices=Status.choices)
    deadline = models.DateField(_("deadline after"))
    executor_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    executor_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    completed_on = models.DateField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("history")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["assignment", "at"], name="orders_tr_asg_at")]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("The history of an assignment is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The history of an assignment is append-only.")


class Report(TimeStamped):
    """An executor's report on an assignment, and the issuer's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting decision")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")
        WITHDRAWN = "withdrawn", _("superseded")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("text"))
    submitted_on = models.DateField(_("submitted on"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(decision="pending"),
                                    name="orders_report_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.submitted_on}"


class Extension(TimeStamped):
    """A request to move an assignment's deadline; granting keeps the original deadline on the assignment."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    reason = models.TextField(_("reason"))
    requested_deadline = models.DateField(_("requested deadline"))
    previous_deadline = models.DateField(_("deadline before"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    granted_deadline = models.DateField(_("granted deadline"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(status="requested"),
                                    name="orders_ext_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.requested_deadline}"


class Reminder(models.Model):
    """A reminder or escalation sent for an assignment: one row per (assignment, kind, deadline), so jobs
    run twice send nothing twice, and a new deadline (an extension) starts the reminders afresh."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("deadline approaching")
        OVERDUE = "overdue", _("overdue")
        HEAD = "head", _("escalated to the head")
        VICE_GOVERNOR = "vice_governor", _("escalated to the vice-governor")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    deadline = models.DateField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["assignment", "kind", "deadline"], name="orders_reminder_once")]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.kind}"
