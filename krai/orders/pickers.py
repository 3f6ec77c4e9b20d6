"""Choosing an executor: the organisations a user may assign, as a tree with labels no two alike, and the people
of a chosen unit. The order form and the delegate and reassign forms read their choices here, and so does the
search endpoint their pickers call (``picker_views``), so what a search offers is exactly what the form accepts.

Search is done over the labels in Python (words in any order, case folded): SQLite folds the case of Latin
letters only, and an organisation is found by its parent's name too ("кадров минздрав").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from krai.orders.models import Assignment
from krai.orders.rules import head_reach
from krai.org.models import Organisation, Position, Role, RoleAssignment, User
from krai.org.selectors import scope_for

#: what the choice is for: an order's lead executor and co-executors (those the user may put under control),
#: its controller (any body), a delegation (units under the executor), a reassignment (under the parent)
PURPOSES = ("lead", "co", "controller", "delegate", "reassign")
SEPARATOR = " — "
LIMIT = 50


def organisation_labels() -> dict[int, str]:
    """A label for every organisation, no two alike: its name, then its parent's short name ("Отдел кадров —
    Минздрав края"), then further ancestors only where two would still read the same, and the code last."""
    rows = {pk: (name, str(short or name), parent, code) for pk, name, short, parent, code in
            Organisation.objects.values_list("pk", "name", "short_name", "parent_id", "code")}
    ancestors: dict[int, list[str]] = {}
    for pk in rows:
        chain, parent, seen = [], rows[pk][2], {pk}
        while parent in rows and parent not in seen:
            seen.add(parent)
            chain.append(rows[parent][1])
            parent = rows[parent][2]
        ancestors[pk] = chain
    depth = dict.fromkeys(rows, 1)
    while True:
        labels = {pk: SEPARATOR.join([rows[pk][0], *ancestors[pk][:depth[pk]]]) for pk in rows}
        same: dict[str, list[int]] = defaultdict(list)
        for pk, label in labels.items():
            same[label].append(pk)
        clashes = [pks for pks in same.values() if len(pks) > 1]
        if not clashes:
            return labels
        longer = False
        for pks in clashes:
            for pk in pks:
                if depth[pk] < len(ancestors[pk]):
                    depth[pk] += 1
                    longer = True
        if not longer:  # the same name under the same chain: the code tells them apart
            for pks in clashes:
                for pk in pks:
                    labels[pk] = f"{labels[pk]} ({rows[pk][3]})"
            return labels


def _assignable_q(user: Any) -> Q | None:
    """The organisations ``user`` may put under control (``orders.rules.may_give_to`` as a filter); None: all."""
    scope = scope_for(user)
    if user.is_superuser or scope.has_role(Role.GOVERNOR, Role.CONTROLLER, Role.ADMINISTRATOR):
        return None
    q = Q(pk__in=[])
    if scope.has_role(Role.VICE_GOVERNOR) and scope.block_ids:
        q |= Q(block_id__in=sorted(scope.block_ids))
    paths, municipalities = head_reach(user)
    for path in paths:
        q |= Q(path__startswith=path)
    if municipalities:
        q |= Q(municipality_id__in=sorted(municipalities))
    return q


def organisations_for(*, user: Any, purpose: str, assignment: Assignment | None = None) -> QuerySet[Organisation]:
    """The active organisations ``user`` may choose for ``purpose`` (in tree order); none for anything unknown.

    A delegation or a reassignment depends on the assignment only: who may act on it is checked by its rule.
    """
    qs = Organisation.objects.filter(is_active=True).order_by("path")
    if purpose in ("lead", "co"):
        if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
            return qs.none()
        q = _assignable_q(user)
        return qs if q is None else qs.filter(q)
    if purpose == "controller":
        return qs
    if purpose == "delegate" and assignment is not None:
        return qs.filter(path__startswith=assignment.executor_organisation.path)
    if purpose == "reassign" and assignment is not None:
        parent = assignment.parent
        return qs.filter(path__startswith=parent.executor_organisation.path) if parent else qs
    return qs.none()


def people_of(organisations: QuerySet[Organisation]) -> QuerySet[User]:
    """Active staff who hold a post or a role in any of ``organisations`` (callers pass whole subtrees)."""
    holders = Position.objects.filter(organisation__in=organisations, holder__isnull=False).values("holder_id")
    members = RoleAssignment.objects.filter(organisation__in=organisations).values("user_id")
    return (User.objects.filter(Q(pk__in=holders) | Q(pk__in=members), is_active=True, is_staff=True)
            .order_by("surname", "given_name", "pk"))


def people_for(*, user: Any, purpose: str, assignment: Assignment | None = None,
               organisation: Organisation | None = None) -> QuerySet[User]:
    """The people ``user`` may name for ``purpose``: of ``organisation`` (and its units) when one is chosen,
    else of every organisation he may choose."""
    allowed = organisations_for(user=user, purpose=purpose, assignment=assignment)
    if organisation is not None:
        allowed = allowed.filter(path__startswith=organisation.path)
    return people_of(allowed)


def works_in(person: User, organisation: Organisation) -> bool:
    """Whether ``person`` holds a post or a role in ``organisation`` or a unit below it."""
    return people_of(Organisation.objects.filter(path__startswith=organisation.path)).filter(pk=person.pk).exists()


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    depth: int = 0
    hint: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "depth": self.depth, "hint": self.hint}


def _matches(text: str, words: list[str]) -> bool:
    folded = text.casefold()
    return all(word in folded for word in words)


def organisation_choices(organisations: QuerySet[Organisation], *, search: str = "",
                         limit: int = LIMIT) -> tuple[list[Choice], bool]:
    """The organisations as a tree (depth from the shallowest shown) matching every word of ``search``."""
    labels = organisation_labels()
    words = search.casefold().split()
    rows = [(pk, path) for pk, path in organisations.values_list("pk", "path") if _matches(labels[pk], words)]
    top = min((path.count(".") for _, path in rows), default=1)
    choices = [Choice(pk, labels[pk], path.count(".") - top) for pk, path in rows]
    return choices[:limit], len(choices) > limit


def person_label(person: User, unit: str = "") -> str:
    return f"{person.short_name}{SEPARATOR}{unit}" if unit else person.short_name


def units_of(people: list[User]) -> dict[int, str]:
    """Each person's unit for his label: the deepest organisation where he holds a post, else a role."""
    labels = organisation_labels()
    found: dict[int, tuple[int, str]] = {}
    pairs = list(Position.objects.filter(holder__in=people, organisation__is_active=True)
                 .values_list("holder_id", "organisation_id", "organisation__path"))
    pairs += list(RoleAssignment.objects.filter(user__in=people, organisation__isnull=False)
                  .values_list("user_id", "organisation_id", "organisation__path"))
    for user_id, org_id, path in pairs:
        depth = path.count(".")
        if user_id not in found or depth > found[user_id][0]:
            found[user_id] = (depth, labels.get(org_id, ""))
    return {user_id: label for user_id, (_depth, label) in found.items()}


def people_choices(people: QuerySet[User], *, search: str = "", limit: int = LIMIT) -> tuple[list[Choice], bool]:
    words = search.casefold().split()
    everyone = list(people)
    units = units_of(everyone)
    choices = []
    for person in everyone:
        label = person_label(person, units.get(person.pk, ""))
        if _matches(f"{person.full_name} {label}", words):
            choices.append(Choice(person.pk, label))
    return choices[:limit], len(choices) > limit
