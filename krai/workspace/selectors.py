"""Reads of the workspace's pages, composed from the org area's scoped selectors (never its models).

Everything here is narrowed to the acting user's scope: a vice-governor sees his block, a head his
organisation's subtree, a controller or the governor the whole region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
