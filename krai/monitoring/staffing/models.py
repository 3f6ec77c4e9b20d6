"""Staffing tables: the posts an approving act sets for a body and its units, who fills them, what is vacant.

A table is versioned by its act: a new act makes a new table (the positions copied forward, or read from an
import) valid from a date, and the previous one stops being current but stays, so that the fill rate of any past
month is computed from the table then in force and the employments' dates (``krai.monitoring.staffing.rates``).
Units are the organisation tree's child organisations (``org.Organisation``); a position may point at the
structure's own post (``org.Position``) when the body keeps one.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffingTable(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="staffing_tables",
                                     verbose_name=_("organisation"))
    act_number = models.CharField(_("act number"), max_length=100, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("staffing table")
        verbose_name_plural = _("staffing tables")
        ordering = ["organisation", "-valid_from", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation"], condition=models.Q(is_current=True),
                                               name="staffing_one_current_table")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.act_number or '—'} ({self.valid_from})"


class StaffPosition(models.Model):
    class Category(models.TextChoices):
        LEADER = "leader", _("leader")
        SPECIALIST = "specialist", _("specialist")
        SUPPORT = "support", _("support staff")
        WORKER = "worker", _("worker")

    table = models.ForeignKey(StaffingTable, on_delete=models.CASCADE, related_name="positions",
                              verbose_name=_("staffing table"))
    unit = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="staff_positions",
                             verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.SPECIALIST)
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=2, default=Decimal("1"))
    position = models.ForeignKey("org.Position", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("post of the structure"))
    critical = models.BooleanField(_("critical"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")
        ordering = ["table", "unit__path", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.title} — {self.unit}"


class Employment(models.Model):
    """Someone holds (a part of) a position. ``acting`` — temporarily performing the duties (does not fill the post);
    ``on_leave`` — the holder is on long leave (the post stays filled)."""

    staff_position = models.ForeignKey(StaffPosition, on_delete=models.CASCADE, related_name="employments",
                                       verbose_name=_("position"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("person"))
    person_name = models.CharField(_("name"), max_length=300, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=2, default=Decimal("1"))
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    acting = models.BooleanField(_("acting"), default=False)
    on_leave = models.BooleanField(_("on leave"), default=False)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["staff_position", "started_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ended_on__isnull=True)
                                              | models.Q(ended_on__gte=models.F("started_on")),
                                              name="staffing_employment_dates")]

    def __str__(self) -> str:
        return f"{self.staff_position} ({self.started_on}–{self.ended_on or ''})"


class Vacancy(models.Model):
    staff_position = models.ForeignKey(StaffPosition, on_delete=models.CASCADE, related_name="vacancies",
                                       verbose_name=_("position"))
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    critical = models.BooleanField(_("critical"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["opened_on", "id"]
        indexes = [models.Index(fields=["closed_on", "critical", "opened_on"], name="staffing_vacancy_open")]

    def __str__(self) -> str:
        return f"{self.staff_position} ({self.opened_on})"
