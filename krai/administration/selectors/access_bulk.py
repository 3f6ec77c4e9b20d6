"""The preview of a bulk change of access: for several people at once, give one role within one scope, take one role
away, or close the accounts — what would happen to each person, before anything is changed.

The preview predicts with the structure's own rules (``krai.org.services.ALLOWED_SCOPES``, staff roles only for
active staff, active organisations only); the change itself (``krai.administration.services.access``) applies it
through the structure's services, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from krai.administration.selectors.access import MANAGE, people_list
from krai.org.models import Block, Municipality, Organisation, Role, RoleAssignment, ScopeKind, User
from krai.org.scopes import STAFF_ROLES
from krai.org.services import ALLOWED_SCOPES

GRANT, REVOKE, DEACTIVATE = "grant", "revoke", "deactivate"
ACTIONS = (
    (GRANT, gettext_lazy("Give a role within a scope")),
    (REVOKE, gettext_lazy("Take a role away")),
    (DEACTIVATE, gettext_lazy("Close the accounts")),
)
CHANGE, UNCHANGED, REFUSED = "change", "unchanged", "refused"
MAX_PEOPLE = 500


@dataclass(frozen=True)
class Line:
    person: User
    outcome: str  # CHANGE, UNCHANGED or REFUSED
    note: str
    assignments: tuple[RoleAssignment, ...] = ()  # what a revocation takes away


@dataclass
class BulkPreview:
    action: str
    role: str = ""
    scope: str = ""
    target: Organisation | Municipality | Block | None = None
    lines: list[Line] = field(default_factory=list)

    def _count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def changes(self) -> int:
        return self._count(CHANGE)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def refused(self) -> int:
        return self._count(REFUSED)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def target_kwargs(self) -> dict[str, Any]:
        names = {ScopeKind.ORGANISATION: "organisation", ScopeKind.MUNICIPALITY: "municipality",
                 ScopeKind.BLOCK: "block"}
        name = names.get(self.scope)
        return {name: self.target} if name and self.target is not None else {}


def _field(name: str, message: str) -> ValidationError:
    return ValidationError({name: [message]})


def _check_grant(role: str, scope: str, target: Any) -> None:
    """The same refusals as ``role_assign``, by field, before any person is looked at."""
    if role not in ALLOWED_SCOPES:
        raise _field("role", _("Choose a role that can be given."))
    if scope not in ALLOWED_SCOPES[role]:
        raise _field("scope", _("The role %(role)s cannot act within the scope %(scope)s.")
                     % {"role": Role(role).label, "scope": ScopeKind(scope).label if scope in ScopeKind.values
                        else scope})
    needed = {ScopeKind.ORGANISATION: "organisation", ScopeKind.MUNICIPALITY: "municipality",
              ScopeKind.BLOCK: "block"}.get(scope)
    if needed and target is None:
        raise _field(needed, _("Name the %(target)s this role acts in.") % {"target": ScopeKind(scope).label})
    if isinstance(target, Organisation) and not target.is_active:
        raise _field("organisation", _("This organisation is no longer active."))


def _matching(person: User, role: str, scope: str, target: Any) -> list[RoleAssignment]:
    """``person``'s assignments of ``role`` (within ``scope`` and its target when one is named)."""
    found = [a for a in person.role_assignments.all() if a.role == role]
    if scope:
        found = [a for a in found if a.scope == scope
                 and (a.organisation or a.municipality or a.block) == target]
    return found


def _line(actor: Any, person: User, action: str, role: str, scope: str, target: Any) -> Line:
    if action == GRANT:
        if _matching(person, role, scope, target):
            return Line(person, UNCHANGED, _("already holds this role within this scope"))
        if role in STAFF_ROLES and not (person.is_staff and person.is_active):
            return Line(person, REFUSED, _("not an active member of staff"))
        return Line(person, CHANGE, _("will get the role"))
    if action == REVOKE:
        matching = _matching(person, role, scope, target)
        if not matching:
            return Line(person, UNCHANGED, _("does not hold this role"))
        return Line(person, CHANGE, _("will lose the role"), tuple(matching))
    if person.pk == actor.pk:
        return Line(person, REFUSED, _("you cannot close your own account"))
    if not person.is_active:
        return Line(person, UNCHANGED, _("the account is already closed"))
    return Line(person, CHANGE, _("the account will be closed"))


def bulk_preview(*, actor: Any, people: list[int], action: str, role: str = "", scope: str = "",
                 organisation: Organisation | None = None, municipality: Municipality | None = None,
                 block: Block | None = None) -> BulkPreview:
    """What the bulk change would do to each of ``people`` (ids the actor may see); refuses bad input by field."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(MANAGE):
        raise PermissionDenied(_("Only an administrator may change people's access."))
    if action not in dict(ACTIONS):
        raise _field("action", _("Choose what to do."))
    ids = list(dict.fromkeys(int(pk) for pk in people))
    if not ids:
        raise _field("people", _("Select at least one person."))
    if len(ids) > MAX_PEOPLE:
        raise _field("people", _("At most %(n)d people at once.") % {"n": MAX_PEOPLE})
    target = {ScopeKind.ORGANISATION: organisation, ScopeKind.MUNICIPALITY: municipality,
              ScopeKind.BLOCK: block}.get(scope)
    if action == GRANT:
        _check_grant(role, scope, target)
    elif action == REVOKE:
        if role not in Role.values:
            raise _field("role", _("Choose the role to take away."))
        if scope and scope not in ScopeKind.values:
            raise _field("scope", _("Unknown scope."))
    else:
        role, scope, target = "", "", None
    found = {person.pk: person for person in people_list(user=actor).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise _field("people", _("Not found: %(ids)s.") % {"ids": ", ".join(str(pk) for pk in missing)})
    preview = BulkPreview(action=action, role=role, scope=scope, target=target)
    preview.lines = [_line(actor, found[pk], action, role, scope, target)
                     for pk in sorted(ids, key=lambda pk: (found[pk].surname, found[pk].given_name, pk))]
    return preview


def summary(preview: BulkPreview) -> str:
    """One sentence: how many people, how many change, how many stay as they are, how many cannot."""
    parts = [ngettext("%(n)d person", "%(n)d people", preview.total) % {"n": preview.total}]
    if preview.action == GRANT:
        texts = (ngettext("%(n)d will get the role", "%(n)d will get the role", preview.changes),
                 ngettext("%(n)d already holds it", "%(n)d already hold it", preview.unchanged),
                 ngettext("%(n)d cannot get it", "%(n)d cannot get it", preview.refused))
    elif preview.action == DEACTIVATE:
        texts = (ngettext("%(n)d account will be closed", "%(n)d accounts will be closed", preview.changes),
                 ngettext("%(n)d is already closed", "%(n)d are already closed", preview.unchanged),
                 ngettext("%(n)d cannot be closed", "%(n)d cannot be closed", preview.refused))
    else:
        texts = (ngettext("%(n)d will lose the role", "%(n)d will lose the role", preview.changes),
                 ngettext("%(n)d does not hold it", "%(n)d do not hold it", preview.unchanged),
                 ngettext("%(n)d cannot lose it", "%(n)d cannot lose it", preview.refused))
    counts = (preview.changes, preview.unchanged, preview.refused)
    details = [text % {"n": n} for text, n in zip(texts, counts, strict=True) if n]
    return _("%(people)s: %(details)s.") % {"people": parts[0], "details": ", ".join(details)}
