"""The review of who can see what: for an organisation, a municipality or a block, every person whose scope covers
it and through what; for a person, what he sees and which sections and actions his permissions open.

"Covers" is exactly what ``krai.org.scopes.scope_for`` decides: a staff role counts only on an active account with
the staff flag; an organisation is covered by the region, its block, its municipality, or the subtree of itself or
of any ancestor; a municipality or a block as a whole by the region or a scope naming it. Superusers see the whole
region. The service accounts of external systems are marked as systems, and deputies acting today for someone who
covers the object are listed with whom they act for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.administration.access_catalogue import Granted, evaluate
from krai.administration.selectors.access import ScopeSummary, require_review, scope_summary, system_account_ids
from krai.org.models import Block, Deputyship, Municipality, Organisation, Role, RoleAssignment, ScopeKind, User
from krai.org.scopes import STAFF_ROLES, scope_for

#: the ways a scope reaches an object, the widest first (the order rows are shown in)
REGION, SUPERUSER, BLOCK, MUNICIPALITY, ANCESTOR, ITSELF = (
    "region", "superuser", "block", "municipality", "ancestor", "itself")
THROUGH_ORDER = (SUPERUSER, REGION, BLOCK, MUNICIPALITY, ANCESTOR, ITSELF)


@dataclass(frozen=True)
class Coverage:
    """One person reaching the object: in a role, through a part of his scope; a deputy acts for ``acting_for``."""

    person: User
    role: str
    through: str
    through_label: str
    target: Any = None
    is_system: bool = False
    acting_for: User | None = None

    @property
    def role_label(self) -> str:
        return _("superuser") if self.role == SUPERUSER else str(Role(self.role).label)


@dataclass
class ObjectReview:
    obj: Organisation | Municipality | Block
    kind: str  # "organisation", "municipality" or "block"
    rows: list[Coverage] = field(default_factory=list)

    @property
    def people(self) -> int:
        """Distinct people reaching the object (a person in two roles counts once)."""
        return len({row.person.pk for row in self.rows})

    @property
    def systems(self) -> int:
        return len({row.person.pk for row in self.rows if row.is_system})

    @property
    def deputies(self) -> int:
        return len({row.person.pk for row in self.rows if row.acting_for is not None})


def _live(qs):
    """Assignments that grant something: a staff role on an active staff account."""
    return qs.filter(role__in=STAFF_ROLES, user__is_active=True, user__is_staff=True)


def _through(assignment: RoleAssignment, obj: Any) -> tuple[str, str, Any]:
    scope = assignment.scope
    if scope == ScopeKind.REGION:
        return REGION, _("the region"), None
    if scope == ScopeKind.BLOCK:
        return BLOCK, _("the block “%(name)s”") % {"name": assignment.block.name}, assignment.block
    if scope == ScopeKind.MUNICIPALITY:
        return (MUNICIPALITY, _("the municipality “%(name)s”") % {"name": assignment.municipality.name},
                assignment.municipality)
    if assignment.organisation_id == getattr(obj, "pk", None) and isinstance(obj, Organisation):
        return ITSELF, _("the organisation itself"), assignment.organisation
    return (ANCESTOR, _("the subtree of “%(name)s”") % {"name": assignment.organisation.name},
            assignment.organisation)


def _ancestor_paths(organisation: Organisation) -> list[str]:
    """"000001.000007." → ["000001.", "000001.000007."]: the paths of the organisation and its ancestors."""
    parts = [part for part in organisation.path.split(".") if part]
    return [".".join(parts[:n]) + "." for n in range(1, len(parts) + 1)]


def _covering_condition(obj: Any, kind: str) -> Q:
    condition = Q(scope=ScopeKind.REGION)
    if kind == "organisation":
        if obj.block_id:
            condition |= Q(scope=ScopeKind.BLOCK, block_id=obj.block_id)
        if obj.municipality_id:
            condition |= Q(scope=ScopeKind.MUNICIPALITY, municipality_id=obj.municipality_id)
        condition |= Q(scope=ScopeKind.ORGANISATION, organisation__path__in=_ancestor_paths(obj))
    elif kind == "municipality":
        condition |= Q(scope=ScopeKind.MUNICIPALITY, municipality_id=obj.pk)
    elif kind == "block":
        condition |= Q(scope=ScopeKind.BLOCK, block_id=obj.pk)
    return condition


def reviewable(user: Any) -> tuple[QuerySet[Organisation], QuerySet[Municipality], QuerySet[Block]]:
    """The active organisations, municipalities and blocks ``user`` may review: all of them for a region-wide
    reader; else those his own scope covers (a controller of a block reviews its organisations)."""
    scope = scope_for(user)
    organisations = Organisation.objects.filter(is_active=True).order_by("path")
    municipalities = Municipality.objects.filter(is_active=True).order_by("name")
    blocks = Block.objects.filter(is_active=True).order_by("sort_order", "name")
    if scope.region or user.is_superuser:
        return organisations, municipalities, blocks
    return (organisations.filter(scope.q(organisation="")), municipalities.filter(pk__in=scope.municipality_ids),
            blocks.filter(pk__in=scope.block_ids))


def reviewable_get(*, user: Any, kind: str, pk: int) -> Organisation | Municipality | Block:
    """One object ``user`` may review; Http404 alike for a missing one and one outside his scope."""
    require_review(user)
    organisations, municipalities, blocks = reviewable(user)
    qs = {"organisation": organisations, "municipality": municipalities, "block": blocks}[kind]
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Nothing of the kind is found."))
    return found


def review_object(*, user: Any, obj: Organisation | Municipality | Block, today: date | None = None
                  ) -> ObjectReview:
    """Everyone whose scope covers ``obj`` (an organisation, a municipality or a block), and how."""
    require_review(user)
    kind = {Organisation: "organisation", Municipality: "municipality", Block: "block"}[type(obj)]
    systems = system_account_ids()
    review = ObjectReview(obj=obj, kind=kind)
    assignments = (_live(RoleAssignment.objects.filter(_covering_condition(obj, kind)))
                   .select_related("user", "organisation", "municipality", "block"))
    rows: list[Coverage] = []
    for superuser in User.objects.filter(is_superuser=True, is_active=True):
        rows.append(Coverage(superuser, SUPERUSER, SUPERUSER, _("superuser: the whole region"),
                             is_system=superuser.pk in systems))
    for assignment in assignments:
        through, label, target = _through(assignment, obj)
        rows.append(Coverage(assignment.user, assignment.role, through, label, target,
                             is_system=assignment.user_id in systems))
    today = today or timezone.localdate()
    principals = {row.person.pk: row for row in rows}
    acting = (Deputyship.objects.filter(principal_id__in=list(principals), ended_at__isnull=True,
                                        starts_on__lte=today, ends_on__gte=today, deputy__is_active=True)
              .select_related("deputy", "principal"))
    for deputyship in acting:
        for row in [r for r in rows if r.person.pk == deputyship.principal_id and r.acting_for is None]:
            rows.append(Coverage(deputyship.deputy, row.role, row.through, row.through_label, row.target,
                                 is_system=deputyship.deputy_id in systems, acting_for=deputyship.principal))
    rows.sort(key=lambda r: (THROUGH_ORDER.index(r.through), r.acting_for is not None, r.person.surname,
                             r.person.given_name, r.person.pk, r.role))
    review.rows = rows
    return review


# --- a person ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PersonReview:
    person: User
    summary: ScopeSummary
    granted: list[Granted]
    is_system: bool

    @property
    def areas(self) -> list[tuple[Any, list[Granted]]]:
        """The permissions grouped by area, in the catalogue's order."""
        grouped: dict[str, tuple[Any, list[Granted]]] = {}
        for item in self.granted:
            grouped.setdefault(item.area.key, (item.area, []))[1].append(item)
        return list(grouped.values())


def review_person(*, user: Any, person: User) -> PersonReview:
    """What ``person`` can see and do (the caller has found him with ``person_get``, in the reader's reach)."""
    require_review(user)
    person.__dict__.pop("_krai_scope", None)  # his scope as it is now, not as memoised earlier in the request
    return PersonReview(person=person, summary=scope_summary(person), granted=evaluate(person),
                        is_system=person.pk in system_account_ids())
