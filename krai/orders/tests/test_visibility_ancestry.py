"""The visibility read from the closure table (``AssignmentAncestor``) is exactly the one of the recursive walk
it replaced, for every kind of user, over a generated region with delegations at several depths."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from krai.orders import selectors, services
from krai.orders.models import Assignment, AssignmentAncestor, Order
from krai.orders.tests.factories import TODAY, issued_order
from krai.org.models import Role
from krai.org.selectors import scope_for
from krai.org.tests.factories import (
    BlockFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StaffFactory,
    assign,
)

pytestmark = pytest.mark.django_db


def _below_held_recursive(user) -> RawSQL:
    """The previous definition (kept as the reference): every assignment delegated, at any depth, from a
    non-top one ``user`` holds or gave, by a recursive walk."""
    table = connection.ops.quote_name(Assignment._meta.db_table)
    sql = (f"WITH RECURSIVE below(id) AS ("  # noqa: S608 (model table name)
           f" SELECT id FROM {table} WHERE parent_id IS NOT NULL AND (executor_user_id = %s OR issuer_id = %s)"
           f" UNION SELECT a.id FROM {table} a JOIN below b ON a.parent_id = b.id"
           f") SELECT id FROM below")
    return RawSQL(sql, (user.pk, user.pk))  # noqa: S611 (no user input in the text)


def visible_before(user) -> set[int]:
    """``assignments_visible_to`` as it was before the closure table (recursive walk, held roots by root_id)."""
    from krai.orders.rules import head_reach

    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    scope = scope_for(user)
    if scope.region:
        return set(Assignment.objects.values_list("pk", flat=True))
    if scope.is_empty:
        return set()
    held = Q(executor_user_id=user.pk) | Q(issuer_id=user.pk)
    held_roots = Assignment.objects.filter(held, parent__isnull=True).values("id")
    q = selectors._scope_q(scope, user) | Q(root_id__in=held_roots) | Q(pk__in=_below_held_recursive(user))
    paths, municipalities = head_reach(user)
    if paths or municipalities:
        headed = Q(executor_organisation__municipality_id__in=sorted(municipalities)) if municipalities else Q(
            pk__in=[])
        for path in paths:
            headed |= Q(executor_organisation__path__startswith=path)
        q |= Q(parent_id__in=Assignment.objects.filter(headed).values("id"))
    return set(Assignment.objects.filter(q).values_list("pk", flat=True))


def visible_now(user) -> set[int]:
    return set(selectors.assignments_visible_to(user).values_list("pk", flat=True))


def visible_now_both_ways(user, monkeypatch) -> set[int]:
    """The selector's rows, with the per-row (range) form and with the plain (hashable) form of its subquery:
    both must give the same set."""
    sets = []
    for many_held in (1, 10**9):
        monkeypatch.setattr(selectors, "MANY_HELD", many_held)
        user.__dict__.pop("_krai_orders_holds_many", None)
        sets.append(visible_now(user))
    user.__dict__.pop("_krai_orders_holds_many", None)
    assert sets[0] == sets[1]
    return sets[0]


def region(seed: int):
    """Two blocks of bodies with units and sub-units (some in a municipality), people of every scope, and
    trees of assignments delegated up to four levels down, given by people at every depth, some reassigned."""
    rng = random.Random(seed)
    blocks = [BlockFactory(name=f"Блок {i}") for i in range(2)]
    towns = [MunicipalityFactory() for _ in range(2)]
    orgs = []
    for b in range(4):
        body = OrganisationFactory(name=f"Орган {b}", block=blocks[b % 2])
        orgs.append(body)
        for u in range(2):
            unit = OrganisationFactory(name=f"Отдел {b}.{u}", block=body.block, parent=body, kind="unit",
                                       municipality=towns[u] if b == 3 else None)
            orgs.append(unit)
            orgs.append(OrganisationFactory(name=f"Сектор {b}.{u}", block=body.block, parent=unit, kind="unit"))
    outside = OrganisationFactory(name="Вне блоков", block=None)
    orgs.append(outside)
    people = {}
    people["governor"] = StaffFactory(surname="Губернатор")
    assign(people["governor"], Role.GOVERNOR)
    people["vice"] = StaffFactory(surname="Вице")
    assign(people["vice"], Role.VICE_GOVERNOR, block=blocks[0])
    for i, org in enumerate(orgs):
        if i % 3 == 0:
            people[f"head{i}"] = StaffFactory(surname=f"Руководитель{i}")
            assign(people[f"head{i}"], Role.HEAD, organisation=org)
        people[f"exec{i}"] = StaffFactory(surname=f"Исполнитель{i}")
        assign(people[f"exec{i}"], Role.EXECUTOR, organisation=org)
    people["mayor"] = StaffFactory(surname="Глава")
    assign(people["mayor"], Role.HEAD, municipality=towns[0])
    people["town_clerk"] = StaffFactory(surname="Специалист")
    assign(people["town_clerk"], Role.EXECUTOR, municipality=towns[1])
    people["self_only"] = StaffFactory(surname="Сам")
    assign(people["self_only"], Role.EXECUTOR)
    people["outsider"] = StaffFactory(surname="Посторонний")
    staff = list(people.values())
    order_ct = ContentType.objects.get_for_model(Order)

    def make(parent, org):
        issuer = rng.choice(staff) if parent is None or rng.random() < 0.4 else (
            parent.executor_user or rng.choice(staff))
        deadline = TODAY + timedelta(days=30 - (parent.depth * 3 if parent else 0))
        a = Assignment(kind="order", subject_type=order_ct, subject_id="1", parent=parent,
                       root_id=parent.root_id if parent else None, depth=parent.depth + 1 if parent else 0,
                       title="Поручение", issuer=issuer, executor_organisation=org,
                       executor_user=rng.choice(staff) if rng.random() < 0.6 else None, block=org.block,
                       body=org, issued_on=TODAY, deadline=deadline, original_deadline=deadline)
        a.save()
        if parent is None:
            Assignment.objects.filter(pk=a.pk).update(root=a)
            a.root_id = a.pk
        return a

    def grow(node, depth: int) -> None:
        for _ in range(rng.choice((0, 1, 1, 2, 3)) if depth < 4 else 0):
            grow(make(node, rng.choice(orgs)), depth + 1)

    for _ in range(25):
        grow(make(None, rng.choice(orgs)), 0)
    # reassignments change who holds a node, not where it hangs
    for a in rng.sample(list(Assignment.objects.all()), 15):
        a.executor_user = rng.choice(staff)
        a.save()
    return people


@pytest.mark.parametrize("seed", [1, 2])
def test_same_rows_as_the_recursive_walk_for_every_user(seed, monkeypatch):
    people = region(seed)
    assert Assignment.objects.filter(depth__gte=3).exists()
    only_below = 0  # users who see rows through the walk alone: the comparison does exercise it
    for name, user in people.items():
        user = type(user).objects.get(pk=user.pk)  # fresh: no memoised scope
        before, now = visible_before(user), visible_now_both_ways(user, monkeypatch)
        assert now == before, name
        own = set(selectors.assignments_visible_to(user).filter(
            selectors._scope_q(scope_for(user), user)).values_list("pk", flat=True)) if not scope_for(user).region \
            else before
        only_below += bool(before - own)
    assert only_below >= 3


def test_rebuild_gives_the_rows_kept_at_creation(gov):
    order = issued_order(gov, co_executors=[(gov.finance, None)])
    root = order.assignment
    to_unit = services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                        deadline=root.deadline, text="Организовать")
    to_executor = services.control_delegate(actor=gov.unit_head, assignment=to_unit,
                                            executor_organisation=gov.subunit, executor_user=gov.executor,
                                            deadline=root.deadline, text="Сделать")
    kept = set(AssignmentAncestor.objects.values_list("ancestor_id", "descendant_id"))
    assert {(root.pk, to_unit.pk), (root.pk, to_executor.pk), (to_unit.pk, to_executor.pk)} <= kept
    assert not any(d == root.pk for _a, d in kept)
    assert AssignmentAncestor.rebuild() == len(kept)
    assert set(AssignmentAncestor.objects.values_list("ancestor_id", "descendant_id")) == kept
    # the unit head gave the executor's part: he sees it, and only through the closure table
    assert to_executor.pk in visible_now(gov.unit_head)
    assert visible_now(gov.unit_head) == visible_before(gov.unit_head)
