"""Which units and people an efficiency reader may look at: the organisations his scope covers
(``krai.org.scopes.scope_for``) and the people who work in them. Anything else answers 404, exactly like a
missing unit or person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from krai.org.models import Organisation, Position, RoleAssignment, User
from krai.org.scopes import Scope, scope_for


@dataclass(frozen=True)
class Unit:
    """An organisation as the efficiency pages need it (read once per request, in one query)."""

    id: int
    parent_id: int | None
    path: str
    name: str
    short_name: str
    is_active: bool

    @property
    def label(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids on the materialised path, this unit's own last ("000001.000007." -> [1, 7])."""
        return [int(step) for step in self.path.split(".") if step.isdigit()]


@dataclass
class Units:
    """The organisations a reader's scope covers, by id, with their children."""

    scope: Scope
    by_id: dict[int, Unit]

    def children(self, unit_id: int | None) -> list[Unit]:
        """Sub-units of ``unit_id`` in scope; for ``None``, the top units of the scope (whose parent is outside)."""
        if unit_id is None:
            return [u for u in self.by_id.values() if u.parent_id not in self.by_id]
        return [u for u in self.by_id.values() if u.parent_id == unit_id]

    def reach(self, unit: Unit | None, *, only: bool = False) -> list[int] | None:
        """The ids counted for ``unit`` (its subtree in scope, or itself alone); for no unit the whole scope —
        ``None`` when that is the whole region (no condition needed)."""
        if unit is None:
            return None if self.scope.region else sorted(self.by_id)
        if only:
            return [unit.id]
        return sorted(u.id for u in self.by_id.values() if u.path.startswith(unit.path))

    def crumbs(self, unit: Unit) -> list[Unit]:
        """The units in scope from the top down to ``unit`` (the drill-down's trail)."""
        return [self.by_id[i] for i in unit.ancestor_ids if i in self.by_id]


def units_for(user) -> Units:
    scope = scope_for(user)
    if scope.is_empty:
        return Units(scope, {})
    rows = (Organisation.objects.filter(scope.q(organisation="")).order_by("path")
            .values_list("id", "parent_id", "path", "name", "short_name", "is_active"))
    return Units(scope, {row[0]: Unit(*row) for row in rows})


def unit_get(units: Units, pk) -> Unit:
    """A unit in the reader's scope; outside it or missing, 404 alike."""
    unit = units.by_id.get(int(pk)) if str(pk).isdigit() else None
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


def person_get(units: Units, pk, *, reader) -> User:
    """A person the reader may look at: himself, or someone holding a post or a role in a unit of his scope, or
    who executed or answered for one; otherwise 404, like a missing person."""
    person = User.objects.filter(pk=int(pk), is_staff=True).first() if str(pk).isdigit() else None
    if person is None:
        raise Http404(_("No such person."))
    if person.pk == reader.pk or units.scope.region:
        return person
    ids = sorted(units.by_id)
    from krai.orders.models import Assignment
    from krai.problems.models import ProblemUpdate

    works_here = (Position.objects.filter(holder=person, organisation_id__in=ids).exists()
                  or RoleAssignment.objects.filter(user=person, organisation_id__in=ids).exists()
                  or Assignment.objects.filter(executor_user=person, executor_organisation_id__in=ids).exists()
                  or ProblemUpdate.objects.filter(actor=person, organisation_id__in=ids).exists())
    if not works_here:
        raise Http404(_("No such person."))
    return person


def people_names(ids) -> dict[int, str]:
    """People's names by id (one query)."""
    return {u.pk: u.full_name for u in User.objects.filter(pk__in=[i for i in ids if i]).only(
        "id", "surname", "given_name", "patronymic")}


def in_scope_q(units: Units, field: str) -> Q:
    """Rows whose organisation (``field`` names the foreign key) lies in the reader's scope."""
    ids = units.reach(None)
    return Q() if ids is None else Q(**{f"{field}_id__in": ids})
