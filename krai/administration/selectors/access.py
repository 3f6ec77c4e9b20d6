"""Reads of access management: the people of the staff (paged list, filters), one person with his roles, posts,
deputyships and the history of his access, and his scope in words.

Read by administrators and the Department of Control (``administration.review_access``). A reader whose own scope
is the region sees everyone; a controller of a block or a municipality sees the people acting or holding posts
within it. A person outside the reader's reach answers 404 exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.audit.models import AuditEntry
from krai.org.models import Block, Deputyship, Municipality, Organisation, Position, RoleAssignment, ScopeKind, User
from krai.org.scopes import STAFF_ROLES, scope_for

REVIEW = "administration.review_access"
MANAGE = "administration.manage_access"


def require_review(user: Any) -> None:
    """Refuse (403) anyone who may not review access."""
    if user is None or not user.is_authenticated or not user.has_perm(REVIEW):
        raise PermissionDenied(_("Only administrators and the Department of Control review access."))


def system_account_ids() -> set[int]:
    """Ids of the service accounts of registered external systems (``ExternalSystem.account``), read through the
    reverse relation so that administration does not import its sibling integration."""
    try:
        User._meta.get_field("external_system")
    except FieldDoesNotExist:  # integration not installed
        return set()
    return set(User.objects.filter(external_system__isnull=False).values_list("pk", flat=True))


def _assignments_prefetch() -> Prefetch:
    return Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related(
        "organisation", "municipality", "block").order_by("role", "scope", "pk"))


def _people_base() -> QuerySet[User]:
    """Everyone of the staff: the staff flag, a staff role or a post (a closed account stays listed)."""
    with_roles = RoleAssignment.objects.filter(role__in=STAFF_ROLES).values("user_id")
    with_posts = Position.objects.filter(holder__isnull=False).values("holder_id")
    return User.objects.filter(Q(is_staff=True) | Q(pk__in=with_roles) | Q(pk__in=with_posts))


def _within_reach(user: Any) -> Q | None:
    """The people ``user`` may review (None: everyone)."""
    scope = scope_for(user)
    if scope.region or user.is_superuser:
        return None
    acting = RoleAssignment.objects.filter(scope.q(organisation="organisation", block="block",
                                                   municipality="municipality")).values("user_id")
    posted = Position.objects.filter(scope.q(organisation="organisation")).values("holder_id")
    return Q(pk__in=acting) | Q(pk__in=posted)


def _words_q(search: str) -> Q:
    """Every word found in the name or the e-mail (the capitalised form too: SQLite folds Latin letters only)."""
    condition = Q()
    for word in search.split()[:6]:
        either = Q()
        for form in {word, word.lower(), word.capitalize()}:
            for name in ("surname", "given_name", "patronymic", "email"):
                either |= Q(**{f"{name}__icontains": form})
        condition &= either
    return condition


def people_list(*, user: Any, search: str = "", organisation: Organisation | None = None, role: str = "",
                active: bool | None = None) -> QuerySet[User]:
    """The staff ``user`` may review, by surname, each with his role assignments prefetched.

    ``organisation`` keeps the people holding a post or acting within its subtree."""
    require_review(user)
    qs = _people_base()
    reach = _within_reach(user)
    if reach is not None:
        qs = qs.filter(reach)
    if search.strip():
        qs = qs.filter(_words_q(search.strip()[:200]))
    if organisation is not None:
        inside = Q(organisation__path__startswith=organisation.path)
        qs = qs.filter(Q(pk__in=RoleAssignment.objects.filter(inside).values("user_id"))
                       | Q(pk__in=Position.objects.filter(inside).values("holder_id")))
    if role:
        qs = qs.filter(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.prefetch_related(_assignments_prefetch()).order_by("surname", "given_name", "patronymic", "pk")


def person_get(*, user: Any, pk: int) -> User:
    """One person of the staff ``user`` may review; Http404 alike for a missing and an unreachable one."""
    found = people_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such person."))
    return found


def target_of(assignment: RoleAssignment) -> Organisation | Municipality | Block | None:
    return assignment.organisation or assignment.municipality or assignment.block


def positions_of(person: User) -> list[Position]:
    return list(Position.objects.filter(holder=person).select_related("organisation")
                .order_by("organisation__path", "-is_head", "title"))


@dataclass(frozen=True)
class Deputyships:
    """A person's temporary deputyships in force today or coming, both as the one acting and the one acted for."""

    acts_for: list[Deputyship]
    acted_for_by: list[Deputyship]


def deputyships_of(person: User, *, today: date | None = None) -> Deputyships:
    today = today or timezone.localdate()
    current = Deputyship.objects.filter(ended_at__isnull=True, ends_on__gte=today).select_related(
        "principal", "deputy").order_by("starts_on", "pk")
    return Deputyships(acts_for=list(current.filter(deputy=person)),
                       acted_for_by=list(current.filter(principal=person)))


def access_history(person: User) -> QuerySet[AuditEntry]:
    """The audit entries about ``person``'s access, the newest first: every event whose subject is his account
    (roles given and taken, account changes, deactivation) and those about his deputyships either way."""
    deputyship_ids = [str(pk) for pk in Deputyship.objects.filter(Q(principal=person) | Q(deputy=person))
                      .values_list("pk", flat=True)]
    condition = Q(subject_type=ContentType.objects.get_for_model(User), subject_id=str(person.pk))
    if deputyship_ids:
        condition |= Q(subject_type=ContentType.objects.get_for_model(Deputyship), subject_id__in=deputyship_ids)
    return AuditEntry.objects.filter(condition).select_related("actor", "deputy").order_by("-occurred_at", "-id")


# --- a person's scope in words -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScopePart:
    """One part of what a person sees: the region, a block, a municipality or an organisation's subtree."""

    kind: str
    label: str
    target: Any
    organisations: int


@dataclass(frozen=True)
class ScopeSummary:
    roles: list[str]
    parts: list[ScopePart]
    organisations: int  # active organisations covered, every part together (overlaps counted once)
    own_items: bool  # a staff role within the "self" scope: his own items, whatever else he sees


def covered_organisations(person: User) -> QuerySet[Organisation]:
    """The active organisations whose internal data ``person``'s scope covers (what the summary counts)."""
    scope = scope_for(person)
    return Organisation.objects.filter(is_active=True).filter(scope.q(organisation=""))


def _active_organisations(**where: Any) -> Subquery:
    """The number of active organisations matching ``where`` (which names the outer row), as a subquery: each part
    of a scope is counted within the one query that reads the parts, not by a query per part."""
    rows = Organisation.objects.filter(is_active=True, **where).order_by().annotate(
        n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(rows, output_field=IntegerField())


def scope_summary(person: User) -> ScopeSummary:
    """``person``'s scope as his roles resolve it (``scope_for``): staff roles on an account without the staff flag,
    or on a closed account, grant nothing, and the summary says so by being empty."""
    scope = scope_for(person)
    active = Organisation.objects.filter(is_active=True)
    parts: list[ScopePart] = []
    if scope.region:
        parts.append(ScopePart(ScopeKind.REGION, _("the whole region"), None, active.count()))
    else:
        blocks = Block.objects.filter(pk__in=scope.block_ids).annotate(
            covered=_active_organisations(block=OuterRef("pk")))
        for block in blocks.order_by("sort_order", "name"):
            parts.append(ScopePart(ScopeKind.BLOCK, _("the block “%(name)s”") % {"name": block.name}, block,
                                   block.covered))
        municipalities = Municipality.objects.filter(pk__in=scope.municipality_ids).annotate(
            covered=_active_organisations(municipality=OuterRef("pk")))
        for municipality in municipalities.order_by("name"):
            parts.append(ScopePart(ScopeKind.MUNICIPALITY, _("the municipality “%(name)s”") % {
                "name": municipality.name}, municipality, municipality.covered))
        roots = Organisation.objects.filter(path__in=scope.org_paths).annotate(
            covered=_active_organisations(path__startswith=OuterRef("path")))
        for root in roots.order_by("path"):
            parts.append(ScopePart(ScopeKind.ORGANISATION, _("the organisation “%(name)s” and its units") % {
                "name": root.name}, root, root.covered))
    total = covered_organisations(person).count() if parts else 0
    roles = sorted(role for role in scope.roles)
    own = (person.is_active and person.is_staff
           and RoleAssignment.objects.filter(user=person, scope=ScopeKind.SELF, role__in=STAFF_ROLES).exists())
    return ScopeSummary(roles=roles, parts=parts, organisations=total, own_items=bool(own))
