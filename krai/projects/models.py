"""Priority projects and programmes: a programme (national, federal or regional) holds projects; a project
holds a work breakdown of stages, results, control points and tasks to any depth, linked by dependencies.

Dates are planned and actual days. A parent item's planned dates are the frame its children must fit in;
its progress and budget are rolled up from them (``krai.projects.rollup``). Dependencies may cross projects
of one programme (a federal event waits for a regional result). A baseline is a saved copy of the plan.
Every task and control point with an executor organisation is an assignment of the control engine (kind
``project.item``), so it counts in the executor's work and the discipline dashboards with the orders.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.models import TimeStamped

MONEY = {"max_digits": 16, "decimal_places": 2, "default": Decimal("0")}


class Programme(TimeStamped):
    class Level(models.TextChoices):
        NATIONAL = "national", _("national project")
        FEDERAL = "federal", _("federal programme")
        REGIONAL = "regional", _("regional programme")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.REGIONAL)
    description = models.TextField(_("description"), blank=True)
    owner_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("owner body"))
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("curator"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:programme", args=[self.code])


class Project(TimeStamped):
    class Status(models.TextChoices):
        PLANNING = "planning", _("planning")
        ACTIVE = "active", pgettext_lazy("project status", "in progress")
        CLOSED = "closed", pgettext_lazy("project status", "closed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="projects",
                                  verbose_name=_("programme"))
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500)
    goal = models.TextField(_("goal"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    owner_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("owner body"))
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("project manager"))
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("curator"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget_planned = models.DecimalField(_("budget, planned (roubles)"), **MONEY)
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="+",
                                        verbose_name=_("target indicators"))

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["programme_id", "code"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.code])


class WorkItem(TimeStamped):
    class Kind(models.TextChoices):
        STAGE = "stage", pgettext_lazy("project item", "stage")
        RESULT = "result", pgettext_lazy("project item", "result")
        CONTROL_POINT = "control_point", _("control point")
        TASK = "task", _("task")

    CONTROLLED = (Kind.TASK, Kind.CONTROL_POINT)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items", verbose_name=_("project"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=pgettext_lazy("project item", "parent"))
    # "0003.0001." — the position of the item and its ancestors: sorting by it gives the tree in order,
    # and a subtree is one prefix condition.
    path = models.CharField(max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    owner_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("executor organisation"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("responsible person"))
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    budget_planned = models.DecimalField(_("budget, planned (roubles)"), **MONEY)
    budget_spent = models.DecimalField(_("budget, spent (roubles)"), **MONEY)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    # A pinned item keeps its dates when a predecessor moves (a date fixed by an act); a broken link is warned.
    pinned = models.BooleanField(_("dates fixed"), default=False)

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["project_id", "path"]
        constraints = [
            models.UniqueConstraint(fields=["project", "path"], name="projects_item_path_unique"),
            models.CheckConstraint(condition=models.Q(planned_finish__gte=models.F("planned_start")),
                                   name="projects_item_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.wbs} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:item", args=[self.project.code, self.pk])

    @property
    def wbs(self) -> str:
        """The outline number people say ("2.1.3"), read off the path."""
        return ".".join(str(int(part)) for part in self.path.split(".") if part)

    @property
    def is_milestone(self) -> bool:
        return self.kind == self.Kind.CONTROL_POINT

    @property
    def is_done(self) -> bool:
        return self.actual_finish is not None


class Dependency(TimeStamped):
    class Type(models.TextChoices):
        FS = "FS", _("finish-to-start")
        SS = "SS", _("start-to-start")
        FF = "FF", _("finish-to-finish")
        SF = "SF", _("start-to-finish")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    predecessor = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="successor_links",
                                    verbose_name=_("predecessor"))
    successor = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="predecessor_links",
                                  verbose_name=_("successor"))
    type = models.CharField(_("type"), max_length=2, choices=Type.choices, default=Type.FS)
    lag = models.SmallIntegerField(_("lag, working days"), default=0,
                                   validators=[MinValueValidator(-250), MaxValueValidator(250)])

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="projects_dep_unique")]


class Baseline(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class BaselineItem(models.Model):
    """An item's plan as it was when the baseline was saved (kept if the item is deleted later)."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(WorkItem, on_delete=models.SET_NULL, null=True, related_name="+")
    wbs = models.CharField(max_length=120)
    title = models.CharField(max_length=500)
    planned_start = models.DateField()
    planned_finish = models.DateField()
    budget_planned = models.DecimalField(**MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["baseline", "item"], name="projects_baseline_item_once")]

    def __str__(self) -> str:
        return f"{self.wbs} {self.title}"


class Risk(TimeStamped):
    class Level(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=500)
    probability = models.CharField(_("probability"), max_length=8, choices=Level.choices, default=Level.MEDIUM)
    impact = models.CharField(_("impact"), max_length=8, choices=Level.choices, default=Level.MEDIUM)
    mitigation = models.TextField(_("mitigation"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-is_open", "-created_at"]


class StatusReport(TimeStamped):
    """The project manager's periodic word on the project (what was done, what is next, what hinders)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("report"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["-reported_on", "-id"]
