"""The control engine (assignments, their history, reports, extensions, reminders) and orders on top of it.

An ``Assignment`` is anything a public body must answer by a deadline: an order, a citizen's problem, a
construction check. It points at its subject (any model) by content type and id, forms a delegation tree
(``parent``; ``root`` is the tree's top, the root itself included) and keeps its current state in
columns for fast dashboards. Every change of that state is also a ``Transition`` row (append-only), so
the state as of any past moment is the last transition before it. "Overdue" and "executed late" are
never stored: they follow from ``deadline``, ``completed_on`` and the date asked about.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped


class Status(models.TextChoices):
    ISSUED = "issued", _("issued")
    IN_PROGRESS = "in_progress", _("in progress")
    REPORTED = "reported", _("report submitted")
    DONE = "done", _("executed")
    CANCELLED = "cancelled", _("cancelled")


#: the statuses of an assignment still under control (counted as incomplete)
OPEN_STATUSES = (Status.ISSUED, Status.IN_PROGRESS, Status.REPORTED)


class AssignmentQuerySet(models.QuerySet):
    def open(self) -> AssignmentQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> AssignmentQuerySet:
        """Still under control after its deadline (derived from the date, never stored)."""
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=today or timezone.localdate())

    def late(self) -> AssignmentQuerySet:
        """Executed, but after the deadline."""
        return self.filter(status=Status.DONE, completed_on__gt=F("deadline"))


class Assignment(TimeStamped):
    """One controlled task given to an executor (an organisation, optionally a named person) by a deadline.

    ``block`` and ``body`` (the top organisation of the executor's branch) are copied from the executor's
    organisation whenever it is set, so that the dashboards group without walking the tree.
    """

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("delegated from"))
    root = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    issuer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="assignments_given", verbose_name=_("issuer"))
    issuer_organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", verbose_name=_("issuing organisation"))
    executor_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT,
                                              related_name="assignments", verbose_name=_("executor"))
    executor_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="assignments", verbose_name=_("executor (person)"))
    controller_organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True,
                                                blank=True, related_name="+", verbose_name=_("controller"))
    block = models.ForeignKey("org.Block", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(_("original deadline"))
    completed_on = models.DateField(_("executed on"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="orders_asg_subject"),
            models.Index(fields=["block", "status", "deadline"], name="orders_asg_block"),
            models.Index(fields=["body", "status", "deadline"], name="orders_asg_body"),
            models.Index(fields=["executor_user", "status"], name="orders_asg_executor"),
            models.Index(fields=["status", "deadline"], name="orders_asg_status_deadline"),
            # the region and block levels of the dashboard count top-level rows from this index alone
            models.Index(fields=["block", "body", "status", "deadline", "completed_on"], include=["id"],
                         condition=Q(parent__isnull=True), name="orders_asg_top_counts"),
            # the worst overdue: open rows by deadline
            models.Index(fields=["deadline", "id"], condition=Q(status__in=["issued", "in_progress", "reported"]),
                         name="orders_asg_open_deadline"),
        ]
        constraints = [
            models.CheckConstraint(name="orders_asg_deadline_after_issue", condition=Q(deadline__gte=F("issued_on"))),
            models.CheckConstraint(name="orders_asg_done_has_date",
                                   condition=~Q(status="done") | Q(completed_on__isnull=False)),
            models.CheckConstraint(name="orders_asg_root_is_top",
                                   condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0)),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_counts()
        return instance

    #: the columns the pre-counted cells read (a row loaded without one of them is not counted from here)
    COUNTED = ("parent_id", "status", "block_id", "body_id", "issuer_id", "issued_on", "deadline", "completed_on")

    def top_load_key(self) -> tuple | None:
        """This row's cell of ``TopLoad`` (None: not counted there — delegated, cancelled, or not loaded)."""
        return TopLoad.key_of(self) if all(n in self.__dict__ for n in self.COUNTED) else None

    def top_month_marks(self) -> tuple:
        """What this row adds to ``TopMonth`` (none: delegated, cancelled, or not loaded)."""
        return TopMonth.marks_of(self) if all(n in self.__dict__ for n in self.COUNTED) else ()

    def _remember_counts(self) -> None:
        self._top_load_was, self._top_month_was = self.top_load_key(), self.top_month_marks()

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._remember_counts()

    def save(self, *args, **kwargs) -> None:
        """Save, and move the row's counts in ``TopLoad`` and ``TopMonth`` if its cells changed (in the same
        transaction)."""
        was, was_months = getattr(self, "_top_load_was", None), getattr(self, "_top_month_was", ())
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # a new delegated row: its ancestors, for the visibility below what one holds or gave
            AssignmentAncestor.link(self)
        self._remember_counts()
        if was != self._top_load_was:
            TopLoad.move(was, self._top_load_was)
        if was_months != self._top_month_was:
            TopMonth.move(was_months, self._top_month_was)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())

    @property
    def is_late(self) -> bool:
        return self.status == Status.DONE and self.completed_on is not None and self.completed_on > self.deadline

    @property
    def delay_days(self) -> int:
        """Calendar days past the deadline: executed late by, or overdue by today (0 when in time)."""
        if self.status == Status.DONE and self.completed_on:
            return max(0, (self.completed_on - self.deadline).days)
        if self.is_open:
            return max(0, (timezone.localdate() - self.deadline).days)
        return 0

    @property
    def subject(self):
        model = self.subject_type.model_class()
        return model._default_manager.filter(pk=self.subject_id).first() if model else None

    @property
    def subject_label(self) -> str:
        return f"{self.subject_type.app_label}.{self.subject_type.model}"


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


# --- orders ------------------------------------------------------------------------------------------

class Priority(models.TextChoices):
    """Urgency classes of Russian order control; each gives a default deadline (see ``deadlines``)."""

    IMMEDIATE = "immediate", _("immediately")
    VERY_URGENT = "very_urgent", _("very urgent")
    URGENT = "urgent", _("urgent")
    PROMPT = "prompt", _("prompt")
    ORDINARY = "ordinary", _("ordinary")
    MONTHLY = "monthly", _("monthly report")
    QUARTERLY = "quarterly", _("quarterly report")


class SourceType(models.TextChoices):
    PROTOCOL = "protocol", _("meeting protocol")
    DECREE = "decree", _("decree")
    LETTER = "letter", _("letter")
    RESOLUTION = "resolution", _("resolution")
    OTHER = "other", _("other")


class Order(TimeStamped):
    """An order (instruction) of the governor or a vice-governor; once issued, its control is an assignment tree.

    A draft has no assignment; issuing opens the root assignment for the lead executor, one child per
    co-executor and one per control point (periodic orders get one control point per period).
    """

    class Period(models.TextChoices):
        NONE = "", _("once")
        MONTHLY = "monthly", _("every month")
        QUARTERLY = "quarterly", _("every quarter")

    number = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"))
    source_type = models.CharField(_("source"), max_length=16, choices=SourceType.choices, default=SourceType.PROTOCOL)
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    priority = models.CharField(_("urgency"), max_length=16, choices=Priority.choices, default=Priority.ORDINARY)
    issuer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders_issued",
                               verbose_name=_("issuer"))
    issuer_organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", verbose_name=_("issuing organisation"))
    controller_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                                verbose_name=_("controller"))
    lead_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("lead executor"))
    lead_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("lead executor (person)"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days from issue"), null=True, blank=True)
    period = models.CharField(_("periodic"), max_length=16, choices=Period.choices, default="", blank=True)
    period_until = models.DateField(_("reports until"), null=True, blank=True)
    is_draft = models.BooleanField(_("draft"), default=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("control"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="orders_order_issued_has_control",
                                   condition=Q(is_draft=True) | Q(assignment__isnull=False)),
            models.CheckConstraint(name="orders_order_period_until",
                                   condition=Q(period="") | Q(period_until__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.title}"


class OrderCounter(models.Model):
    """The last number given to an order in a year: one row per year, taken under a row lock.

    Reading the highest existing number and adding one lets two transactions take the same number at once
    (a unique violation on PostgreSQL); incrementing this row under ``SELECT … FOR UPDATE`` in the creating
    transaction makes them wait for each other, so numbers go in a row without gaps. (SQLite's immediate
    transactions already run one writer at a time.)
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("order number counter")
        verbose_name_plural = _("order number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CoExecutor(models.Model):
    """An organisation (optionally a person) executing an order beside the lead executor."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="co_executors")
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")

    class Meta:
        verbose_name = _("co-executor")
        verbose_name_plural = _("co-executors")
        constraints = [models.UniqueConstraint(fields=["order", "organisation"], name="orders_coexec_once")]

    def __str__(self) -> str:
        return str(self.organisation)


class ControlPoint(models.Model):
    """An intermediate deadline of an order with its own report (its control is a child assignment)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="control_points")
    title = models.CharField(_("title"), max_length=300)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("control point")
        verbose_name_plural = _("control points")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.deadline})"


from krai.orders.ancestry import AssignmentAncestor  # noqa: E402  (the trees' closure table)
from krai.orders.counts import TOP_LOAD_CLOSED, TopLoad, TopMonth  # noqa: E402,F401  (the dashboard's cells)
