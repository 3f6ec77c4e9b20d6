"""Target indicators: what is measured, the plan (versioned when it changes), the periodic reports that bring
the actual values, and the latest actual of each indicator kept current in the submitting transaction.

A plan value with ``month = 0`` is the plan for the whole year; ``municipality`` empty means the region (the
owner organisation's total). A report is one organisation's return for one month, due on a date; while it is
not submitted it is an open assignment of the control engine (an overdue one past its due date).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped

VALUE = {"max_digits": 20, "decimal_places": 4}


class Indicator(TimeStamped):
    class Direction(models.TextChoices):
        UP = "up", _("the more the better")
        DOWN = "down", _("the less the better")

    class Kind(models.TextChoices):
        CUMULATIVE = "cumulative", _("cumulative (year to date)")
        LEVEL = "level", _("level (a value at a point in time)")

    class Basis(models.TextChoices):
        ANNUAL = "annual", _("annual plan")
        MONTHLY = "monthly", _("monthly plan")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=500)
    name_en = models.CharField(_("name in English"), max_length=500, blank=True)
    unit = models.CharField(_("unit"), max_length=64)
    direction = models.CharField(_("direction of improvement"), max_length=8, choices=Direction.choices,
                                 default=Direction.UP)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LEVEL)
    plan_basis = models.CharField(_("plan basis"), max_length=16, choices=Basis.choices, default=Basis.ANNUAL)
    frequency = models.CharField(_("report frequency"), max_length=16, choices=Frequency.choices,
                                 default=Frequency.MONTHLY)
    methodology = models.TextField(_("methodology"), blank=True)
    owner_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("owner organisation"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("responsible person"))
    national_project = models.CharField(_("national project"), max_length=300, blank=True)
    programme = models.CharField(_("state programme"), max_length=300, blank=True)
    warn_pct = models.DecimalField(_("warning threshold, %"), max_digits=6, decimal_places=2, default=5)
    critical_pct = models.DecimalField(_("critical threshold, %"), max_digits=6, decimal_places=2, default=15)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("target indicator")
        verbose_name_plural = _("target indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class PlanVersion(TimeStamped):
    """The plan as one act set it; a later version (by ``valid_from``) replaces it from that day on."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="plan_versions",
                                  verbose_name=_("indicator"))
    number = models.PositiveIntegerField(_("version"))
    act = models.CharField(_("act that set the plan"), max_length=500)
    valid_from = models.DateField(_("valid from"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["indicator", "-valid_from", "-number"]
        constraints = [models.UniqueConstraint(fields=["indicator", "number"], name="ind_plan_version_number")]
        indexes = [models.Index(fields=["indicator", "valid_from"], name="ind_plan_version_valid")]


class PlanValue(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="values")
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month (0 — the whole year)"), default=0)
    value = models.DecimalField(_("plan"), **VALUE)

    class Meta:
        indexes = [models.Index(fields=["version", "year", "municipality"], name="ind_plan_value_lookup")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}: {self.value}"


class Report(TimeStamped):
    class Status(models.TextChoices):
        DUE = "due", _("awaited")
        SUBMITTED = "submitted", _("submitted")

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DUE)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    assignment_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["-year", "-month", "organisation"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "month"], name="ind_report_period")]
        indexes = [models.Index(fields=["status", "due_on"], name="ind_report_due")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.month:02d}.{self.year}"

    @property
    def is_late(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due_on


class ActualValue(models.Model):
    """One value of a report; the period and the day it arrived are copied from the report so that the
    history "as of a date" is read from one indexed table."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    submitted_on = models.DateField()
    value = models.DecimalField(_("actual"), **VALUE)

    class Meta:
        indexes = [
            models.Index(fields=["indicator", "municipality", "year", "month"], name="ind_actual_history"),
            # the totals' history ("as of a day" for a block) read by an index-only scan: 1/45 of the rows
            models.Index(fields=["indicator", "year", "month", "submitted_on", "value", "report"],
                         condition=models.Q(municipality__isnull=True), name="ind_actual_totals"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}: {self.value}"


class LatestActual(models.Model):
    """The last reported period of each indicator (and municipality): the "deviation now" reads only this."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="latest")
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    value = models.DecimalField(**VALUE)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["indicator", "municipality"], name="ind_latest_place"),
            models.Index(fields=["indicator", "year", "month", "value", "report"],
                         condition=models.Q(municipality__isnull=True), name="ind_latest_totals"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}: {self.value}"
