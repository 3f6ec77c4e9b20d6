"""Orders (instructions) of the governor and vice-governors on top of the control engine: the ``Order`` with its
urgency (``Priority``) and source (``SourceType``), the yearly number counter (``OrderCounter``), co-executors and
control points; once issued, an order's control is an assignment tree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.orders.models.assignments import Assignment


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
