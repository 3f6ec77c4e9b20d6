"""Reads of the portal's pages, composed from the org area's public selectors (never its models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from krai.org import selectors as org
from krai.participation.selectors import suggestions as participation_activity
from krai.problems import selectors as problems


@dataclass
class OrgRow:
    """One organisation of the public structure, indented under its parent."""

    organisation: Any
    level: int
    positions: int = 0
    vacancies: int = 0
    units: int = 0  # on the structure page: how many units the body has (its counts include theirs)

    @property
    def indent(self) -> int:
        """The level as the layout indents it (deeper levels share the last step)."""
        return min(self.level, 4)


@dataclass
class StructureGroup:
    """A block of the government, or the bodies outside the blocks: one row per body, units counted in."""

    key: str
    title: str | Promise
    leader: Any = None
    rows: list[OrgRow] = field(default_factory=list)

    @property
    def bodies(self) -> int:
        return sum(1 for row in self.rows if row.level == 0)

    @property
    def positions(self) -> int:
        return sum(row.positions for row in self.rows)

    @property
    def vacancies(self) -> int:
        return sum(row.vacancies for row in self.rows)


@dataclass
class Structure:
    groups: list[StructureGroup]

    @property
    def bodies(self) -> int:
        return sum(group.bodies for group in self.groups)

    @property
    def positions(self) -> int:
        return sum(group.positions for group in self.groups)

    @property
    def vacancies(self) -> int:
        return sum(group.vacancies for group in self.groups)


def position_counts() -> dict[int, tuple[int, int]]:
    """Posts and vacancies of every active organisation: ``{organisation id: (posts, vacancies)}``."""
    rows = (org.position_list().order_by().values("organisation_id")
            .annotate(total=Count("id"), vacant=Count("id", filter=Q(holder__isnull=True))))
    return {row["organisation_id"]: (row["total"], row["vacant"]) for row in rows}


def _flatten(nodes: list[Any], counts: dict[int, tuple[int, int]], level: int = 0) -> list[OrgRow]:
    rows: list[OrgRow] = []
    for node in nodes:
        total, vacant = counts.get(node.organisation.pk, (0, 0))
        rows.append(OrgRow(node.organisation, level, total, vacant))
        rows.extend(_flatten(node.children, counts, level + 1))
    return rows


def _subtree_totals(node: Any, counts: dict[int, tuple[int, int]]) -> tuple[int, int, int]:
    """Posts, vacancies and units of a body together with all of its units."""
    total, vacant = counts.get(node.organisation.pk, (0, 0))
    units = 0
    for child in node.children:
        child_total, child_vacant, child_units = _subtree_totals(child, counts)
        total, vacant, units = total + child_total, vacant + child_vacant, units + 1 + child_units
    return total, vacant, units


def _bodies(nodes: list[Any], counts: dict[int, tuple[int, int]]) -> list[OrgRow]:
    rows = []
    for node in nodes:
        total, vacant, units = _subtree_totals(node, counts)
        rows.append(OrgRow(node.organisation, 0, total, vacant, units))
    return rows


def _detach_other_blocks(forest: list[Any]) -> list[Any]:
    """The roots of the forest plus every body placed under an organisation of another block (such
    as a department under the governor's office), cut from its parent so it counts in its own block."""
    roots: list[Any] = []

    def walk(node: Any) -> None:
        kept = []
        for child in node.children:
            if child.organisation.block_id != node.organisation.block_id and child.organisation.kind != "unit":
                roots.append(child)
            else:
                kept.append(child)
            walk(child)
        node.children = kept

    for node in forest:
        roots.append(node)
        walk(node)
    return roots


def public_structure() -> Structure:
    """The staffing structure as the public sees it: the governor's office and the other bodies outside
    the blocks, each block's bodies, then the municipal administrations; a body's posts and vacancies
    include its units' (the units themselves are listed on the body's page)."""
    counts = position_counts()
    by_block: dict[int | None, list[Any]] = {}
    municipal: list[Any] = []
    for node in _detach_other_blocks(org.organisation_tree()):
        organisation = node.organisation
        if organisation.block_id is None and organisation.kind == "municipal_administration":
            municipal.append(node)
        else:
            by_block.setdefault(organisation.block_id, []).append(node)
    groups: list[StructureGroup] = []
    outside = by_block.pop(None, [])
    if outside:
        groups.append(StructureGroup("government", _("Governor and the government"), None,
                                     _bodies(outside, counts)))
    for block in org.block_list():
        nodes = by_block.pop(block.pk, [])
        groups.append(StructureGroup(f"block-{block.code}", block.name, block.vice_governor,
                                     _bodies(nodes, counts)))
    for nodes in by_block.values():  # bodies of an inactive block: shown, not lost
        groups.append(StructureGroup("other", _("Other bodies"), None, _bodies(nodes, counts)))
    if municipal:
        groups.append(StructureGroup("municipal", _("Municipal administrations"), None,
                                     _bodies(municipal, counts)))
    return Structure(groups=groups)


@dataclass
class OrganisationPage:
    organisation: Any
    ancestors: list[Any]
    staffing: Any
    units: list[OrgRow]


def organisation_page(code: str) -> OrganisationPage:
    """An active organisation of the public register by its code (Http404 otherwise), with its
    parents for the breadcrumbs, its staffing and its units."""
    organisation = org.organisation_list().filter(code=code).first()
    if organisation is None:
        raise Http404(_("No such organisation."))
    ancestor_ids = [int(part) for part in organisation.path.split(".") if part][:-1]
    ancestors = list(org.organisation_list().filter(pk__in=ancestor_ids)) if ancestor_ids else []
    staffing = org.staffing(organisation)
    counts = {group.organisation.pk: (group.total, group.vacancies) for group in staffing.groups}
    tree = org.organisation_tree(root=organisation)
    units = _flatten(tree[0].children, counts) if tree else []
    return OrganisationPage(organisation=organisation, ancestors=ancestors, staffing=staffing, units=units)


def municipalities_geojson() -> dict:
    """The active municipalities' boundaries as a GeoJSON FeatureCollection."""
    return org.municipality_geojson()


def municipality_list():
    return org.municipality_list()


@dataclass
class MunicipalityPage:
    municipality: Any
    feature: dict[str, Any]
    organisations: list[Any]


def municipality_page(code: str) -> MunicipalityPage:
    """An active municipality by its code (Http404 otherwise), its boundary and the bodies located there."""
    municipality = org.municipality_list().filter(code=code).first()
    if municipality is None:
        raise Http404(_("No such municipality."))
    return MunicipalityPage(
        municipality=municipality,
        feature=org.municipality_feature(municipality),
        organisations=list(org.organisation_list(municipality_id=municipality.pk)),
    )


ACTIVITY_LIMIT = 50  # the newest of each section


def my_activity(*, user, limit: int = ACTIVITY_LIMIT) -> dict[str, Any]:
    """What ``user`` did across the areas, newest first, up to ``limit`` of each section: the "my activity" page
    and ``/api/v1/me/activity/`` read this one dict."""
    return {
        "reports": list(problems.my_problems(user=user)[:limit]),
        "endorsements": list(problems.my_endorsements(user=user)[:limit]),
        "subscriptions": list(problems.my_subscriptions(user=user)[:limit]),
        "problem_ratings": list(problems.my_ratings(user=user)[:limit]),
        **participation_activity.my_activity(user=user, limit=limit),
    }
