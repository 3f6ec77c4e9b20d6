"""Reads of the organisation structure that pages, API and other areas share.

The public structure (municipalities, blocks, organisations, the staffing with holders' names) is
read by anyone. Internal data (people's contacts, role assignments, users) goes through functions
that take the acting user and narrow by his scope; a row out of scope answers exactly like a row
that does not exist (``Http404``), so nothing can be learnt by probing ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from krai.org import geo
from krai.org.models import Block, Municipality, Organisation, Position, ResidenceRequest, RoleAssignment, User
from krai.org.rules import (  # noqa: F401  (re-exported for other areas' rules)
    is_administrator,
    is_controller,
    is_executor,
    is_expert,
    is_governor,
    is_head,
    is_staff_member,
    is_vice_governor,
)
from krai.org.scopes import Scope, scope_for  # noqa: F401

GEOJSON_CACHE_SECONDS = 24 * 3600


# --- municipalities -------------------------------------------------------------------------------

def municipality_list(*, include_inactive: bool = False) -> QuerySet[Municipality]:
    qs = Municipality.objects.all() if include_inactive else Municipality.objects.filter(is_active=True)
    return qs.order_by("name")


def municipality_get(pk: int, *, include_inactive: bool = False) -> Municipality:
    """A municipality of the public list (or any, for administrators), else Http404."""
    municipality = municipality_list(include_inactive=include_inactive).filter(pk=pk).first()
    if municipality is None:
        raise Http404(_("No such municipality."))
    return municipality


def municipality_at(lon: float, lat: float) -> Municipality | None:
    """The active municipality containing the point (lon, lat), None outside all of them.

    Raises ``ValidationError`` for a point that is not on the Earth. On a shared border the
    municipality whose code sorts first wins, always.
    """
    pk = geo.locate(lon, lat)
    return None if pk is None else Municipality.objects.filter(pk=pk).first()


def municipality_ids_at(points: list[tuple[float, float]]) -> list[int | None]:
    """Municipality ids for many (lon, lat) points at once (imports, routing in bulk)."""
    return geo.locate_many(points)


def municipality_feature(municipality: Municipality) -> dict:
    """One municipality as a GeoJSON Feature (the public properties and the boundary)."""
    return {
        "type": "Feature",
        "id": municipality.pk,
        "geometry": municipality.boundary,
        "properties": {
            "id": municipality.pk,
            "code": municipality.code,
            "name": municipality.name,
            "name_en": municipality.name_en,
            "kind": municipality.kind,
            "admin_centre": municipality.admin_centre,
            "population": municipality.population,
            "centre": ([municipality.centre_lon, municipality.centre_lat]
                       if municipality.centre_lon is not None else None),
        },
    }


def municipality_geojson() -> dict:
    """All active municipalities as a FeatureCollection, cached until a municipality changes."""
    key = f"krai:org:municipalities:geojson:{geo.current_version()}"
    collection = cache.get(key)
    if collection is None:
        collection = {"type": "FeatureCollection",
                      "features": [municipality_feature(m) for m in municipality_list().order_by("code")]}
        cache.set(key, collection, GEOJSON_CACHE_SECONDS)
    return collection


# --- blocks ---------------------------------------------------------------------------------------

def block_list(*, include_inactive: bool = False) -> QuerySet[Block]:
    qs = Block.objects.select_related("vice_governor")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("sort_order", "name")


def block_get(pk: int, *, include_inactive: bool = False) -> Block:
    block = block_list(include_inactive=include_inactive).filter(pk=pk).first()
    if block is None:
        raise Http404(_("No such block."))
    return block


@dataclass(frozen=True)
class BlockSummary:
    """A block with the numbers a map of the government shows about it."""

    block: Block
    departments: int
    state_companies: int
    other_bodies: int
    units: int
    positions: int
    vacancies: int

    @property
    def bodies(self) -> int:
        return self.departments + self.state_companies + self.other_bodies


def block_summary() -> list[BlockSummary]:
    """Every active block with its bodies by kind, units, posts and vacancies (three queries in all)."""
    by_kind: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (Organisation.objects.filter(is_active=True, block__isnull=False)
                .values("block_id", "kind").annotate(n=Count("id"))):
        by_kind[row["block_id"]][row["kind"]] += row["n"]
    posts: dict[int, tuple[int, int]] = {
        row["organisation__block_id"]: (row["total"], row["vacant"])
        for row in (Position.objects.filter(organisation__is_active=True, organisation__block__isnull=False)
                    .values("organisation__block_id")
                    .annotate(total=Count("id"), vacant=Count("id", filter=Q(holder__isnull=True))))
    }
    kinds = Organisation.Kind
    summaries = []
    for block in block_list():
        counts = by_kind[block.pk]
        total, vacant = posts.get(block.pk, (0, 0))
        summaries.append(BlockSummary(
            block=block,
            departments=counts[kinds.DEPARTMENT],
            state_companies=counts[kinds.STATE_COMPANY],
            other_bodies=sum(n for kind, n in counts.items()
                             if kind not in (kinds.DEPARTMENT, kinds.STATE_COMPANY, kinds.UNIT)),
            units=counts[kinds.UNIT],
            positions=total,
            vacancies=vacant,
        ))
    return summaries


# --- organisations --------------------------------------------------------------------------------

def organisation_list(*, block_id: int | None = None, kind: str | None = None, parent_id: int | None = None,
                      roots_only: bool = False, municipality_id: int | None = None,
                      include_inactive: bool = False) -> QuerySet[Organisation]:
    """The public register of bodies: everything active, whoever asks."""
    qs = Organisation.objects.select_related("block", "municipality", "parent")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if block_id:
        qs = qs.filter(block_id=block_id)
    if kind:
        qs = qs.filter(kind=kind)
    if roots_only:
        qs = qs.filter(parent__isnull=True)
    elif parent_id:
        qs = qs.filter(parent_id=parent_id)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    return qs.order_by("path")


def organisation_get(pk: int, *, include_inactive: bool = False) -> Organisation:
    """An organisation of the public register (active ones, unless asked otherwise), or Http404."""
    organisation = organisation_list(include_inactive=include_inactive).filter(pk=pk).first()
    if organisation is None:
        raise Http404(_("No such organisation."))
    return organisation


def organisations_in_scope(user: User) -> QuerySet[Organisation]:
    """The organisations whose internal data (load, discipline, people) ``user`` may see."""
    return Organisation.objects.filter(scope_for(user).q(organisation=""))


def organisation_get_internal(*, user: User, pk: int) -> Organisation:
    """An organisation whose internal data ``user`` may see; missing and forbidden both raise Http404."""
    organisation = Organisation.objects.select_related("block", "municipality").filter(pk=pk).first()
    if organisation is None or not user.has_perm("org.view_organisation_internal", organisation):
        raise Http404(_("No such organisation."))
    return organisation


def subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)


@dataclass
class TreeNode:
    organisation: Organisation
    children: list[TreeNode] = field(default_factory=list)


def organisation_tree(*, root: Organisation | None = None, block_id: int | None = None) -> list[TreeNode]:
    """The active structure as a forest (one query): the roots, each with its units below, in path order.

    ``root`` gives that organisation's subtree only; ``block_id`` the trees of a block's bodies.
    """
    qs = Organisation.objects.filter(is_active=True).select_related("block", "municipality").order_by("path")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    if block_id:
        qs = qs.filter(block_id=block_id)
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    for organisation in qs:  # path order puts every parent before its children
        node = nodes[organisation.pk] = TreeNode(organisation)
        parent = nodes.get(organisation.parent_id) if organisation.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


# --- positions and staffing -----------------------------------------------------------------------

def position_list(*, organisation_id: int | None = None, block_id: int | None = None,
                  vacant: bool | None = None) -> QuerySet[Position]:
    """Posts of active organisations (the public staffing: holders' names, no contacts)."""
    qs = Position.objects.filter(organisation__is_active=True).select_related("organisation", "holder")
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if block_id:
        qs = qs.filter(organisation__block_id=block_id)
    if vacant is not None:
        qs = qs.filter(holder__isnull=vacant)
    return qs.order_by("organisation__path", "-is_head", "sort_order", "title", "pk")


def position_get(pk: int) -> Position:
    position = position_list().filter(pk=pk).first()
    if position is None:
        raise Http404(_("No such position."))
    return position


@dataclass(frozen=True)
class StaffingGroup:
    organisation: Organisation
    positions: list[Position]

    @property
    def total(self) -> int:
        return len(self.positions)

    @property
    def vacancies(self) -> int:
        return sum(1 for p in self.positions if p.holder_id is None)

    @property
    def head(self) -> Position | None:
        return next((p for p in self.positions if p.is_head), None)


@dataclass(frozen=True)
class Staffing:
    """An organisation's staffing: its own posts first, then each active unit's, in tree order."""

    organisation: Organisation
    groups: list[StaffingGroup]

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def vacancies(self) -> int:
        return sum(g.vacancies for g in self.groups)

    @property
    def filled(self) -> int:
        return self.total - self.vacancies


def staffing(organisation: Organisation) -> Staffing:
    """Posts with their holders and the vacancy counts of an organisation and its units (two queries)."""
    positions = Prefetch("positions", queryset=Position.objects.select_related("holder")
                         .order_by("-is_head", "sort_order", "title", "pk"))
    orgs = subtree(organisation).filter(is_active=True).prefetch_related(positions).order_by("path")
    return Staffing(organisation=organisation,
                    groups=[StaffingGroup(organisation=o, positions=list(o.positions.all())) for o in orgs])


# --- people (internal) ----------------------------------------------------------------------------

@dataclass(frozen=True)
class People:
    """Who works in an organisation's subtree and who acts in roles there (internal data)."""

    organisation: Organisation
    positions: list[Position]
    assignments: list[RoleAssignment]


def organisation_people(*, user: User, pk: int) -> People:
    """The people of an organisation for a user who may see its internals (else Http404)."""
    organisation = organisation_get_internal(user=user, pk=pk)
    orgs = subtree(organisation)
    positions = list(Position.objects.filter(organisation__in=orgs, organisation__is_active=True)
                     .select_related("organisation", "holder").order_by("organisation__path", "-is_head",
                                                                       "sort_order", "pk"))
    assignments = list(RoleAssignment.objects.filter(organisation__in=orgs)
                       .select_related("user", "organisation").order_by("organisation__path", "role", "pk"))
    return People(organisation=organisation, positions=positions, assignments=assignments)


def role_assignments_visible_to(user: User) -> QuerySet[RoleAssignment]:
    """Role assignments ``user`` may read: his own, and those acting within his scope."""
    scope = scope_for(user)
    qs = RoleAssignment.objects.select_related("user", "organisation", "municipality", "block")
    if scope.region:
        return qs.order_by("pk")
    condition = scope.q(organisation="organisation", block="block", municipality="municipality")
    if scope.user_id:
        condition |= Q(user_id=scope.user_id)
    return qs.filter(condition).order_by("pk")


def role_assignment_get(*, user: User, pk: int) -> RoleAssignment:
    assignment = role_assignments_visible_to(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404(_("No such role assignment."))
    return assignment


def user_list(*, user: User, staff: bool | None = None, search: str = "") -> QuerySet[User]:
    """Accounts, for those who manage users only (everyone else gets none)."""
    if not user.has_perm("org.manage_users"):
        return User.objects.none()
    qs = (User.objects.select_related("home_municipality").prefetch_related("role_assignments")
          .order_by("surname", "given_name", "pk"))
    if staff is not None:
        qs = qs.filter(is_staff=staff)
    if search:
        qs = qs.filter(Q(email__icontains=search) | Q(surname__icontains=search) | Q(given_name__icontains=search))
    return qs


def user_get(*, user: User, pk: int) -> User:
    found = user_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such user."))
    return found


# --- residence verification -------------------------------------------------------------------------------

def residence_requests_of(*, user: User) -> QuerySet[ResidenceRequest]:
    """A resident's own requests, newest first."""
    if not user.is_authenticated:
        return ResidenceRequest.objects.none()
    return ResidenceRequest.objects.filter(user=user).select_related("municipality", "decided_by")


def residence_queue(*, user: User, status: str = "pending", municipality_id: int | None = None,
                    ) -> QuerySet[ResidenceRequest]:
    """Requests ``user`` decides on (his scope's municipalities; administrators all), the oldest first."""
    if not user.has_perm("org.review_residences"):
        return ResidenceRequest.objects.none()
    qs = ResidenceRequest.objects.select_related("user", "municipality", "decided_by")
    if not user.has_perm("org.manage_users"):  # administrators see every municipality
        scope = scope_for(user)
        if not scope.region:
            qs = qs.filter(municipality_id__in=scope.municipality_ids)
    if status:
        qs = qs.filter(status=status)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    return qs.order_by("created_at", "id") if status == ResidenceRequest.Status.PENDING else qs.order_by("-created_at")


def residence_request_get(*, user: User, pk: int) -> ResidenceRequest:
    """One request its owner or a staff member deciding on it may see; Http404 alike for missing and forbidden."""
    found = ResidenceRequest.objects.select_related("user", "municipality", "decided_by").filter(pk=pk).first()
    if found is None or not user.has_perm("org.view_residencerequest", found):
        raise Http404(_("No such request."))
    return found
