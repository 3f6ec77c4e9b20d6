"""The controlled task (``Assignment``), its ``Status`` and its query set: one task given to an executor by a
deadline, in a delegation tree, with its current state in columns; saving it keeps the trees' closure table and
the dashboard's pre-counted cells in step, in the same transaction.
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

# the package, for the closure table and the cells it imports after this module's siblings (see its __init__)
from krai.orders import models as package


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
        return package.TopLoad.key_of(self) if all(n in self.__dict__ for n in self.COUNTED) else None

    def top_month_marks(self) -> tuple:
        """What this row adds to ``TopMonth`` (none: delegated, cancelled, or not loaded)."""
        return package.TopMonth.marks_of(self) if all(n in self.__dict__ for n in self.COUNTED) else ()

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
            package.AssignmentAncestor.link(self)
        self._remember_counts()
        if was != self._top_load_was:
            package.TopLoad.move(was, self._top_load_was)
        if was_months != self._top_month_was:
            package.TopMonth.move(was_months, self._top_month_was)

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
