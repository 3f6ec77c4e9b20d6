"""The shared ground of the problems' reads: the themes (``category_*``), the published problems, and
``Filters``, what a list or the map is narrowed by (theme with its children, status or status group, place,
body, dates, overdue, text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.org.selectors import organisation_list
from krai.problems.models import Category, Problem

STATUS_GROUPS = {"open": Problem.OPEN, "closed": (Problem.Status.FIXED, Problem.Status.CLOSED)}


# --- categories ---------------------------------------------------------------------------------

def category_list(*, include_inactive: bool = False) -> QuerySet[Category]:
    qs = Category.objects.select_related("parent")
    return qs if include_inactive else qs.filter(is_active=True)


def category_leaves() -> list[Category]:
    """The themes residents choose (active ones without active children), grouped by their parent's order."""
    categories = list(category_list())
    parents = {c.parent_id for c in categories if c.parent_id}
    leaves = [c for c in categories if c.pk not in parents]
    return sorted(leaves, key=lambda c: ((c.parent.sort_order, c.parent.name) if c.parent_id else
                                         (c.sort_order, c.name), c.sort_order, c.name))


def category_get(*, code: str = "", pk: int | None = None) -> Category:
    qs = category_list()
    category = qs.filter(pk=pk).first() if pk is not None else qs.filter(code=code).first()
    if category is None:
        raise Http404(_("No such category."))
    return category


def _category_ids(category: Category | None) -> list[int]:
    if category is None:
        return []
    return [category.pk, *Category.objects.filter(parent=category).values_list("pk", flat=True)]


# --- problems -----------------------------------------------------------------------------------

def _base() -> QuerySet[Problem]:
    return Problem.objects.select_related("category", "category__parent", "municipality", "organisation", "author")


def published() -> QuerySet[Problem]:
    return _base().filter(status__in=Problem.PUBLISHED, duplicate_of__isnull=True)


def _bodies_named(text: str) -> list[int]:
    """Organisations whose name contains ``text`` in any case. Matched here, not by the database: SQLite's
    LIKE folds only Latin letters, and a few hundred names are read in a blink."""
    needle = text.casefold()
    names = organisation_list(include_inactive=True).values_list("pk", "name")
    return [pk for pk, name in names if needle in name.casefold()]


@dataclass(frozen=True)
class Filters:
    """What a list or the map is narrowed by (every field optional)."""

    category: Category | None = None
    status: str = ""  # a status, or "open"/"closed"
    municipality_id: int | None = None
    organisation_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    text: str = ""
    body: str = ""  # part of the responsible body's name (the workspace's searchable filter)

    def key(self) -> tuple:
        """A stable, hashable form (the category by its id) for cache keys."""
        return (self.category.pk if self.category else None, self.status, self.municipality_id,
                self.organisation_id, self.date_from, self.date_to, self.overdue, self.text, self.body)

    def apply(self, qs: QuerySet[Problem]) -> QuerySet[Problem]:
        if self.category is not None:
            qs = qs.filter(category_id__in=_category_ids(self.category))
        if self.status in STATUS_GROUPS:
            qs = qs.filter(status__in=STATUS_GROUPS[self.status])
        elif self.status:
            qs = qs.filter(status=self.status)
        if self.municipality_id:
            qs = qs.filter(municipality_id=self.municipality_id)
        if self.organisation_id:
            qs = qs.filter(organisation_id=self.organisation_id)
        if self.date_from:
            qs = qs.filter(created_at__date__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(created_at__date__lte=self.date_to)
        if self.overdue:
            qs = qs.filter(status__in=Problem.AWAITING_REACTION, due_date__lt=timezone.localdate())
        if self.body:
            qs = qs.filter(organisation_id__in=_bodies_named(self.body))
        if self.text:
            text = self.text.strip().lstrip("№#").strip()
            condition = Q(public_description__icontains=self.text) | Q(address__icontains=self.text)
            if text.isdigit() and len(text) < 12:  # a report's number
                condition |= Q(pk=int(text))
            qs = qs.filter(condition)
        return qs
