"""Who may see what: a user's scopes resolved once per request into a filter any area can apply.

Every selector in Krai takes the acting user and narrows its queryset with ``scope_for(user).q(...)``,
naming the fields through which its rows belong to an organisation, a block, a municipality or a
person. A staff member with no assignment sees nothing of the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from krai.org.models import Organisation, Role, RoleAssignment, ScopeKind

STAFF_ROLES = {Role.EXECUTOR, Role.HEAD, Role.VICE_GOVERNOR, Role.GOVERNOR, Role.CONTROLLER, Role.ADMINISTRATOR}


@dataclass(frozen=True)
class Scope:
    """The union of everything a user's role assignments let him see."""

    user_id: int | None
    roles: frozenset[str] = frozenset()
    region: bool = False
    block_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()
    org_paths: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not (self.region or self.block_ids or self.municipality_ids or self.org_paths or self.user_id)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def q(self, *, organisation: str | None = None, block: str | None = None,
          municipality: str | None = None, user: str | tuple[str, ...] | None = None) -> Q:
        """A filter for rows reachable through the named lookups.

        ``organisation`` names the foreign key to ``org.Organisation`` (its block and subtree are
        followed from there; ``""`` when the rows are organisations); ``block`` a direct foreign key
        to a block, when rows have one;
        ``municipality`` the foreign key to a municipality; ``user`` one or more foreign keys to the
        person the row is about (the executor, the author) for the self scope.
        """
        if self.region:
            # "every row", written so that it survives an OR: Django drops an empty ``Q()`` from ``Q() | Q(x)``,
            # which turned "the region, or what he created" into "what he created" for region-wide people;
            # this compiles to no condition at all
            return ~Q(pk__in=[])
        condition = Q(pk__in=[])
        if organisation is not None:
            # "" means the rows are organisations themselves
            prefix = f"{organisation}__" if organisation else ""
            for path in self.org_paths:
                condition |= Q(**{f"{prefix}path__startswith": path})
            if self.block_ids:
                condition |= Q(**{f"{prefix}block_id__in": self.block_ids})
            if self.municipality_ids:
                condition |= Q(**{f"{prefix}municipality_id__in": self.municipality_ids})
        if block and self.block_ids:
            condition |= Q(**{f"{block}_id__in": self.block_ids})
        if municipality and self.municipality_ids:
            condition |= Q(**{f"{municipality}_id__in": self.municipality_ids})
        if user and self.user_id:
            for lookup in (user,) if isinstance(user, str) else user:
                condition |= Q(**{f"{lookup}_id": self.user_id})
        return condition

    def covers_organisation(self, org: Organisation) -> bool:
        if self.region:
            return True
        return (
            any(org.path.startswith(path) for path in self.org_paths)
            or (org.block_id is not None and org.block_id in self.block_ids)
            or (org.municipality_id is not None and org.municipality_id in self.municipality_ids)
        )


def scope_for(user) -> Scope:
    """Resolve (and memoise on the user object for the request) the scope of ``user``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(user_id=None)
    cached = getattr(user, "_krai_scope", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    region = bool(user.is_superuser)
    blocks: set[int] = set()
    municipalities: set[int] = set()
    paths: set[str] = set()
    if not user.is_staff:
        roles.add(Role.CITIZEN)
    assignments = RoleAssignment.objects.filter(user=user).select_related("organisation")
    for assignment in assignments:
        if assignment.role in STAFF_ROLES and not user.is_staff:
            continue  # a staff role on a non-staff account grants nothing
        roles.add(assignment.role)
        if assignment.scope == ScopeKind.REGION:
            region = True
        elif assignment.scope == ScopeKind.BLOCK:
            blocks.add(assignment.block_id)
        elif assignment.scope == ScopeKind.MUNICIPALITY:
            municipalities.add(assignment.municipality_id)
        elif assignment.scope == ScopeKind.ORGANISATION:
            paths.add(assignment.organisation.path)
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    # a path inside another path adds nothing
    minimal = tuple(sorted(p for p in paths if not any(p != o and p.startswith(o) for o in paths)))
    scope = Scope(user_id=user.pk, roles=frozenset(roles), region=region, block_ids=frozenset(blocks),
                  municipality_ids=frozenset(municipalities), org_paths=minimal)
    user._krai_scope = scope
    return scope


def headed_organisations_q(user: Any, organisation: str) -> Q:
    """Rows whose organisation (the lookup ``organisation`` names) ``user`` heads: the subtree of an organisation he
    heads, or any organisation of a municipality he heads — what is *his to answer for*, narrower than what his
    scope lets him read (a vice-governor reads a whole block). Matches nothing for someone who heads nothing."""
    q = Q(pk__in=[])
    heads = RoleAssignment.objects.filter(user=user, role=Role.HEAD).values_list("scope", "organisation__path",
                                                                                "municipality_id")
    for scope, path, municipality_id in heads:
        if scope == ScopeKind.ORGANISATION and path:
            q |= Q(**{f"{organisation}__path__startswith": path})
        elif scope == ScopeKind.MUNICIPALITY and municipality_id:
            q |= Q(**{f"{organisation}__municipality_id": municipality_id})
    return q
