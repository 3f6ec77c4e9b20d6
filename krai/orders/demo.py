"""Demo orders: about 1,300 per scale unit from the governor and the vice-governors to the region's bodies,
with delegation chains down to units and people, reports, returns, extensions and realistic lateness.

Everything goes through the services (so the history, events and invariants are the real ones), dated in
the past with their ``issued_on`` / ``submitted_on`` / ``on`` arguments. Each order draws its fate from a
``random.Random`` seeded by its number, so a re-run creates only the missing numbers and a run at the same
scale always makes the same data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.demo import demo_loader
from krai.core.workcalendar.selectors import previous_working_day
from krai.orders import services
from krai.orders.models import Order, Priority, SourceType, Status
from krai.orders.services.control import quiet
from krai.org.models import Block, Organisation, Role, RoleAssignment, ScopeKind, User

ORDERS_PER_SCALE = 1300
PREFIX = "Д-"
TOPICS = [
    "Обеспечить подготовку объектов ЖКХ к отопительному периоду",
    "Представить предложения по снижению очередей в поликлиниках",
    "Организовать мониторинг цен на социально значимые товары",
    "Завершить ремонт автомобильных дорог регионального значения",
    "Подготовить доклад об исполнении национального проекта",
    "Провести проверку готовности образовательных организаций к учебному году",
    "Обеспечить своевременную выплату заработной платы",
    "Разработать план мероприятий по развитию туризма",
    "Представить информацию о ходе переселения из аварийного жилья",
    "Организовать приём граждан по вопросам газификации",
    "Обеспечить ввод в эксплуатацию объектов капитального строительства",
    "Проанализировать обращения граждан и подготовить предложения",
]
REPORTS = ["Исполнено в полном объёме.", "Мероприятия выполнены, документы приложены.",
           "Работы завершены, акт приёмки подписан.", "Информация направлена в установленный срок."]


def _heads() -> dict[int, list[User]]:
    heads: dict[int, list[User]] = {}
    for ra in RoleAssignment.objects.filter(role=Role.HEAD, scope=ScopeKind.ORGANISATION).select_related("user"):
        heads.setdefault(ra.organisation_id, []).append(ra.user)
    return heads


def _executors() -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    for ra in RoleAssignment.objects.filter(role=Role.EXECUTOR, scope=ScopeKind.ORGANISATION).select_related("user"):
        people.setdefault(ra.organisation_id, []).append(ra.user)
    return people


def _working(day: date, today: date) -> date:
    return min(previous_working_day(day), today)


@demo_loader(order=40)
def load_orders(*, scale: int, stdout: TextIO, count: int | None = None) -> list[str]:
    """Orders under control, spread over the blocks (see the module's docstring)."""
    governor = User.objects.filter(role_assignments__role=Role.GOVERNOR, is_staff=True).order_by("pk").first()
    control = Organisation.objects.filter(kind=Organisation.Kind.CONTROL, parent__isnull=True).first()
    if governor is None or control is None:
        stdout.write("  orders: no governor or Department of Control in the structure; skipped\n")
        return []
    bodies = list(Organisation.objects.filter(parent__isnull=True, is_active=True, kind__in=[
        Organisation.Kind.DEPARTMENT, Organisation.Kind.STATE_COMPANY, Organisation.Kind.MUNICIPAL_ADMINISTRATION])
        .exclude(block__isnull=True).order_by("path"))
    if not bodies:
        return []
    vices = {b.pk: b.vice_governor for b in Block.objects.filter(vice_governor__isnull=False)}
    heads, executors = _heads(), _executors()
    units: dict[int, list[Organisation]] = {}
    for unit in Organisation.objects.filter(parent__isnull=False, is_active=True).order_by("path"):
        units.setdefault(unit.parent_id, []).append(unit)
    today = timezone.localdate()
    total = count if count is not None else ORDERS_PER_SCALE * scale
    existing = set(Order.objects.filter(number__startswith=PREFIX).values_list("number", flat=True))
    made = 0
    with quiet():
        for n in range(1, total + 1):
            number = f"{PREFIX}{n:05d}"
            if number in existing:
                continue
            _one(random.Random(f"krai-demo-order:{number}"), number=number, today=today, governor=governor,
                 control=control, bodies=bodies, vices=vices, heads=heads, executors=executors, units=units)
            made += 1
    stdout.write(f"  orders: {made} new orders ({total} wanted, {len(existing)} were there)\n")
    return []


def _one(rng: random.Random, *, number: str, today: date, governor, control, bodies, vices, heads, executors,
         units) -> None:
    municipal = [b for b in bodies if b.kind == Organisation.Kind.MUNICIPAL_ADMINISTRATION]
    regional = [b for b in bodies if b.kind != Organisation.Kind.MUNICIPAL_ADMINISTRATION] or bodies
    lead = rng.choice(municipal if municipal and rng.random() < 0.2 else regional)
    vice = vices.get(lead.block_id)
    issuer = vice if vice is not None and rng.random() < 0.6 else governor
    issued_on = previous_working_day(today - timedelta(days=rng.randint(3, 400)))
    priority = rng.choices(list(Priority.values), weights=[2, 3, 10, 25, 45, 10, 5])[0]
    working_days = None if priority != Priority.ORDINARY else rng.choice([None, 10, 20, 30, 45, 60])
    order = services.order_create(
        actor=issuer, number=number, title=rng.choice(TOPICS), text=rng.choice(TOPICS) + ". Доложить о результатах.",
        source_type=rng.choices(list(SourceType.values), weights=[50, 20, 15, 10, 5])[0],
        source_reference=f"№ {rng.randint(1, 400)}-п", source_date=issued_on - timedelta(days=rng.randint(0, 5)),
        priority=priority, lead_organisation=lead, controller_organisation=control,
        working_days=working_days)
    order = services.order_issue(actor=issuer, order=order, issued_on=issued_on)
    root = order.assignment
    lead_head = (heads.get(lead.pk) or [None])[0]
    _work(rng, root, actor_head=lead_head, issuer=issuer, today=today, heads=heads, executors=executors,
          units=units, depth=0)


def _as(actor, service, **kwargs):
    """Call ``service`` as ``actor`` (the history names him), as the system if he may not (a vacant post)."""
    if actor is not None:
        try:
            return service(actor=actor, **kwargs)
        except PermissionDenied:
            pass
    return service(actor=None, **kwargs)


def _work(rng: random.Random, a, *, actor_head, issuer, today: date, heads, executors, units, depth: int) -> None:
    """Play out one assignment: maybe delegate down, maybe extend, then report/accept as its fate says."""
    if a.issued_on >= today:
        return
    # delegation down the chain: the body's head to a unit, the unit's head to one of its people
    children = []
    target = None
    if depth == 0 and units.get(a.executor_organisation_id) and rng.random() < 0.65:
        target = (rng.choice(units[a.executor_organisation_id]), None)
    elif depth == 1 and a.executor_user_id is None and executors.get(a.executor_organisation_id) \
            and rng.random() < 0.6:
        target = (a.executor_organisation, rng.choice(executors[a.executor_organisation_id]))
    if target is not None:
        on = min(a.issued_on + timedelta(days=rng.randint(0, 3)), today)
        due = a.deadline - timedelta(days=rng.randint(0, 5))
        try:
            child = services.control_delegate(actor=actor_head, assignment=a, executor_organisation=target[0],
                                              executor_user=target[1], deadline=due, issued_on=on)
        except ValidationError:  # the deadline fell before the day of delegation: no delegation then
            child = None
        if child is not None:
            next_actor = target[1] or (heads.get(target[0].pk) or [None])[0]
            children.append(child)
            _work(rng, child, actor_head=next_actor, issuer=actor_head, today=today, heads=heads,
                  executors=executors, units=units, depth=depth + 1)
    a.refresh_from_db()
    # an extension, granted two times in three
    if rng.random() < 0.15 and a.status in (Status.ISSUED, Status.IN_PROGRESS) and a.parent_id is None:
        asked_on = min(a.issued_on + timedelta(days=rng.randint(1, 10)), today)
        try:
            ext = _as(actor_head, services.control_extension_request, assignment=a, today=asked_on,
                                                     deadline=a.deadline + timedelta(days=rng.randint(10, 40)),
                                                     reason="Требуется дополнительное время на согласование")
            grant = rng.random() < 0.67
            _as(issuer, services.control_extension_decide, extension=ext, grant=grant, today=asked_on,
                answer="" if grant else "Оснований для продления нет")
        except ValidationError:  # a refused step (say, a deadline past the parent's) is simply skipped
            pass
        a.refresh_from_db()
    past_deadline = a.deadline < today
    r = rng.random()
    # long past deadlines are mostly settled; the recent ones are where the overdue pile up
    stale = 0.03 if (today - a.deadline).days > 90 else 0.2
    if past_deadline:
        fate = "open" if r < stale else "reported" if r < stale + 0.05 else "cancelled" if r < stale + 0.08 \
            else "done"
    else:
        fate = "done" if r < 0.3 else "reported" if r < 0.45 else "open"
    if fate == "open":
        return
    if fate == "cancelled":
        if a.parent_id is None:
            _as(issuer, services.control_cancel, assignment=a, reason="Утратило актуальность")
        return
    late = past_deadline and rng.random() < 0.25
    submitted = a.deadline + timedelta(days=rng.randint(1, 25)) if late else \
        a.deadline - timedelta(days=rng.randint(0, max(0, min(15, (a.deadline - a.issued_on).days))))
    submitted = max(a.issued_on, min(_working(submitted, today), today))
    for child in children:
        child.refresh_from_db()
    _as(actor_head, services.control_report, assignment=a, text=rng.choice(REPORTS), submitted_on=submitted)
    if fate == "done":
        if rng.random() < 0.1:
            _as(issuer, services.control_return, assignment=a, reason="Отчёт неполный, дополните", on=submitted)
            _as(actor_head, services.control_report, assignment=a, text=rng.choice(REPORTS), submitted_on=submitted)
        _as(issuer, services.control_accept, assignment=a,
            on=min(submitted + timedelta(days=rng.randint(0, 3)), today))
