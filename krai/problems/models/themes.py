"""The problems' themes and who answers them: ``Category``, the tree of themes residents choose from (Open311's
services), and ``RoutingRule``, the table that sends a theme's problems in a municipality to a responsible body.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped


class Category(models.Model):
    """A theme of problems ("Roads › Potholes"): a tree; leaves are what residents choose and Open311's services."""

    class DayKind(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", _("calendar days")

    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent theme"))
    code = models.SlugField(_("code"), max_length=64, unique=True,
                            help_text=_("Stable identifier; Open311 clients see it as the service code."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    reaction_days = models.PositiveSmallIntegerField(_("days for the official reaction"), default=10)
    day_kind = models.CharField(_("counted in"), max_length=16, choices=DayKind.choices, default=DayKind.WORKING)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(reaction_days__gte=1) & Q(reaction_days__lte=90),
                                   name="problems_category_reaction_days"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    @property
    def group_name(self) -> str:
        return self.parent.name if self.parent_id and self.parent else ""


class RoutingRule(TimeStamped):
    """Who answers problems of a theme in a municipality (no municipality: anywhere in the region).

    The most specific rule wins: (theme, municipality), then (parent theme, municipality), then the same
    two without a municipality; with no rule at all the municipality's own administration answers.
    """

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules",
                                 verbose_name=_("category"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality (empty: everywhere)"))
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("responsible organisation"))

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category__name", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "municipality"], name="problems_route_once"),
            models.UniqueConstraint(fields=["category"], condition=Q(municipality__isnull=True),
                                    name="problems_route_region_once"),
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.municipality or '*'} → {self.organisation}"
