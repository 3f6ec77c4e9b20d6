"""Reads of the workspace's pages, composed from the org area's scoped selectors (never its models).

Everything here is narrowed to the acting user's scope: a vice-governor sees his block, a head his
organisation's subtree, a controller or the governor the whole region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from krai.orders import selectors as orders
from krai.org import selectors as org


@dataclass(frozen=True)
class ScopeView:
    """What a member of staff acts as, and over what, in words for the page."""

    assignments: list[Any]
    region: bool
    blocks: list[Any]
    municipalities: list[Any]
    organisations: list[Any]

    @property
    def is_empty(self) -> bool:
        return not (self.region or self.blocks or self.municipalities or self.organisations)


def scope_view(user: Any) -> ScopeView:
    scope = org.scope_for(user)
    assignments = list(org.role_assignments_visible_to(user).filter(user_id=user.pk))
    return ScopeView(
        assignments=assignments,
        region=scope.region,
        blocks=list(org.block_list(include_inactive=True).filter(pk__in=scope.block_ids)) if scope.block_ids else [],
        municipalities=(list(org.municipality_list(include_inactive=True).filter(pk__in=scope.municipality_ids))
                        if scope.municipality_ids else []),
        organisations=(list(org.organisation_list(include_inactive=True).filter(path__in=scope.org_paths))
                       if scope.org_paths else []),
    )


@dataclass
class ScopedRow:
    organisation: Any
    level: int
    positions: int
    vacancies: int

    @property
    def indent(self) -> int:
        return min(self.level, 4)


@dataclass
class ScopedGroup:
    key: str
    title: str | Promise
    rows: list[ScopedRow] = field(default_factory=list)

    @property
    def positions(self) -> int:
        return sum(row.positions for row in self.rows)

    @property
    def vacancies(self) -> int:
        return sum(row.vacancies for row in self.rows)


def organisations_with_counts(user: Any) -> QuerySet:
    """The active organisations in ``user``'s scope with their posts and vacancies."""
    return (org.organisations_in_scope(user).filter(is_active=True).select_related("block")
            .annotate(positions_total=Count("positions", distinct=True),
                      vacancies_total=Count("positions", filter=Q(positions__holder__isnull=True), distinct=True))
            .order_by("block__sort_order", "block__name", "path"))


def organisations_by_block(user: Any) -> list[ScopedGroup]:
    """The organisations in ``user``'s scope grouped by block (those outside blocks last), each indented
    under the nearest of its ancestors that is also in the scope."""
    groups: dict[Any, ScopedGroup] = {}
    organisations = list(organisations_with_counts(user))
    paths = {o.path for o in organisations}
    for organisation in organisations:
        block = organisation.block
        key = block.pk if block else None
        if key not in groups:
            groups[key] = ScopedGroup(f"block-{block.code}" if block else "no-block",
                                      block.name if block else _("Outside the blocks"))
        prefixes = organisation.path.split(".")[:-2]  # "000001.000007." → ["000001"]
        level = sum(1 for i in range(1, len(prefixes) + 1) if ".".join(prefixes[:i]) + "." in paths)
        groups[key].rows.append(ScopedRow(organisation, level, organisation.positions_total,
                                          organisation.vacancies_total))
    ordered = [group for key, group in groups.items() if key is not None]
    if None in groups:
        ordered.append(groups[None])
    return ordered


def vacancies_in_scope(user: Any) -> QuerySet:
    """The vacant posts of the organisations in ``user``'s scope, in structure order."""
    return org.position_list(vacant=True).filter(organisation__in=org.organisations_in_scope(user))


def organisation_people(user: Any, pk: int) -> Any:
    """An organisation's posts, holders and role assignments, if ``user`` may see them (else Http404)."""
    return org.organisation_people(user=user, pk=pk)


# --- what the person acts on: the home's figures ----------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One number of the home page and the orders list that shows exactly those rows."""

    key: str
    label: str | Promise
    count: int
    url: str
    tone: str = "primary"


@dataclass
class Home:
    given: list[Figure]  # the orders he gave (top level): on control, overdue, executed this month
    overdue: list[Any]  # the first of his overdue orders, oldest deadline first
    mine: list[Figure]  # his own assignments: open, overdue
    next_due: list[Any]  # the first of his own assignments by deadline
    default_list: str


def _figure(user: Any, key: str, label: str | Promise, params: dict[str, str], tone: str = "primary") -> Figure:
    """Count with the very filter the list page reads from ``params`` (``orders.selectors.assignment_list``)."""
    which = params["list"]
    done_from = date.fromisoformat(params["done_from"]) if "done_from" in params else None
    filters = orders.ListFilter(which=which, bucket=params.get("bucket", ""), top_only=params.get("top") == "1",
                                done_from=done_from)
    count = orders.assignment_list(user=user, filters=filters).count()
    return Figure(key, label, count, f"{reverse('orders:list')}?{urlencode(params)}", tone)


def home(user: Any, *, today: date | None = None, shown: int = 8) -> Home:
    """The figures of the workspace home: for someone who gives orders, those he gave; for an executor, his own."""
    today = today or timezone.localdate()
    month = today.replace(day=1).isoformat()
    gives = orders.assignments_visible_to(user).filter(issuer=user, parent__isnull=True).exists()
    given: list[Figure] = []
    overdue: list[Any] = []
    if gives:
        top = {"list": "given", "top": "1"}
        given = [_figure(user, "on_control", _("on control"), {**top, "bucket": "open"}),
                 _figure(user, "overdue", _("overdue"), {**top, "bucket": "overdue"}, "danger"),
                 _figure(user, "done_month", _("executed this month"), {**top, "bucket": "done", "done_from": month},
                         "success")]
        overdue = list(orders.assignment_list(user=user, filters=orders.ListFilter(
            which="given", top_only=True, bucket="overdue"))[:shown])
    mine = [_figure(user, "mine", _("in your work"), {"list": "mine"}),
            _figure(user, "mine_overdue", _("of them overdue"), {"list": "mine", "bucket": "overdue"}, "danger")]
    next_due = list(orders.assignment_list(user=user, filters=orders.ListFilter(which="mine"))[:shown])
    return Home(given=given, overdue=overdue, mine=mine if mine[0].count or not gives else [], next_due=next_due,
                default_list=orders.default_list(user))
