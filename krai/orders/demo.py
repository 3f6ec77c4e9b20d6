"""Demo orders: about 1,300 per scale unit from the governor and the vice-governors to the region's bodies,
with delegation chains down to units and people, reports, returns, extensions and realistic lateness.

Like ``krai.org.demo`` the demo is seeded data, not domain actions: each order's whole life (its root
assignment, the delegation children, the append-only history, the reports and the extension requests)
is played out in memory and the rows are written with ``bulk_create`` in a handful of statements — no
events, no notifications. The history is written as the services would have written it (one
``Transition`` per change, dated at midday of the day it happened, never before the assignment's
previous change, its status and deadline the assignment's after the change), so the current columns
are the history's last word and the dashboard "as of a date" sees the same past. Deterministic: each
order draws its fate from a ``random.Random`` seeded by its number. Idempotent: a re-run writes only
the numbers that are missing, so a second run at the same scale changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from krai.core.demo import demo_loader
from krai.core.workcalendar.selectors import previous_working_day
from krai.orders.models import (
    Assignment,
    AssignmentAncestor,
    Extension,
    Order,
    Priority,
    Report,
    SourceType,
    Status,
    TopLoad,
    Transition,
)
from krai.orders.services.control import resolve_deadline
from krai.orders.services.orders import default_deadline
from krai.org.models import Block, Organisation, Role, RoleAssignment, ScopeKind

ORDERS_PER_SCALE = 1300
PREFIX = "Д-"
BATCH = 2000
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


A = Transition.Action


def _heads() -> dict[int, list[int]]:
    heads: dict[int, list[int]] = {}
    for org, user in RoleAssignment.objects.filter(role=Role.HEAD, scope=ScopeKind.ORGANISATION).order_by(
            "pk").values_list("organisation_id", "user_id"):
        heads.setdefault(org, []).append(user)
    return heads


def _executors() -> dict[int, list[int]]:
    people: dict[int, list[int]] = {}
    for org, user in RoleAssignment.objects.filter(role=Role.EXECUTOR, scope=ScopeKind.ORGANISATION).order_by(
            "pk").values_list("organisation_id", "user_id"):
        people.setdefault(org, []).append(user)
    return people


def _working(day: date, today: date) -> date:
    return min(previous_working_day(day), today)


def _body_id(organisation: Organisation) -> int:
    head = organisation.path.split(".", 1)[0] if organisation.path else ""
    return int(head) if head.isdigit() else organisation.pk


@dataclass
class _Node:
    """One assignment being played out, with what will become its rows."""

    row: Assignment
    parent: _Node | None
    children: list[_Node] = field(default_factory=list)
    history: list[tuple] = field(default_factory=list)  # the TRANSITION columns after assignment_id
    reports: list[dict] = field(default_factory=list)
    extensions: list[dict] = field(default_factory=list)


class _Play:
    """Plays out orders in memory, with the services' rules (see the module's docstring)."""

    def __init__(self, *, today: date, control: Organisation, units, heads, executors) -> None:
        self.today, self.control, self.units, self.heads, self.executors = today, control, units, heads, executors
        self.now = timezone.now()
        self.orgs: dict[int, Organisation] = {}

    def moment(self, day: date) -> datetime:
        return min(timezone.make_aware(datetime.combine(day, time(12, 0))), self.now)

    def change(self, node: _Node, action: str, *, on: date, actor: int | None, note: str = "") -> datetime:
        """Append a history row with the node's state after the change (never before its last change)."""
        at = self.moment(on)
        if node.history and at <= node.history[-1][0]:
            at = node.history[-1][0] + timedelta(microseconds=1)
        a = node.row
        node.history.append((at, actor, action, str(a.status), a.deadline, a.executor_organisation_id,
                             a.executor_user_id, a.completed_on, note[:500]))
        return at

    def assignment(self, *, organisation: Organisation, user: int | None, parent: _Node | None, **fields) -> _Node:
        row = Assignment(kind="order", executor_organisation_id=organisation.pk, executor_user_id=user,
                         block_id=organisation.block_id, body_id=_body_id(organisation),
                         controller_organisation_id=self.control.pk, status=Status.ISSUED, **fields)
        self.orgs[organisation.pk] = organisation
        node = _Node(row=row, parent=parent)
        if parent is not None:
            parent.children.append(node)
        return node

    def order(self, rng: random.Random, *, number: str, governor: int, bodies, vices) -> tuple[Order, _Node]:
        municipal = [b for b in bodies if b.kind == Organisation.Kind.MUNICIPAL_ADMINISTRATION]
        regional = [b for b in bodies if b.kind != Organisation.Kind.MUNICIPAL_ADMINISTRATION] or bodies
        lead = rng.choice(municipal if municipal and rng.random() < 0.2 else regional)
        vice = vices.get(lead.block_id)
        issuer = vice if vice is not None and rng.random() < 0.6 else governor
        issued_on = previous_working_day(self.today - timedelta(days=rng.randint(3, 400)))
        priority = rng.choices(list(Priority.values), weights=[2, 3, 10, 25, 45, 10, 5])[0]
        working_days = None if priority != Priority.ORDINARY else rng.choice([None, 10, 20, 30, 45, 60])
        title, text = rng.choice(TOPICS), rng.choice(TOPICS) + ". Доложить о результатах."
        order = Order(number=number, title=title, text=text,
                      source_type=rng.choices(list(SourceType.values), weights=[50, 20, 15, 10, 5])[0],
                      source_reference=f"№ {rng.randint(1, 400)}-п",
                      source_date=issued_on - timedelta(days=rng.randint(0, 5)), priority=priority, issuer_id=issuer,
                      lead_organisation=lead, controller_organisation=self.control, working_days=working_days,
                      is_draft=True, issued_at=self.moment(issued_on))
        due = resolve_deadline(deadline=None, working_days=working_days, issued_on=issued_on) if working_days \
            else default_deadline(priority, issued_on)
        root = self.assignment(organisation=lead, user=None, parent=None, title=f"№ {number}. {title}", text=text,
                               issuer_id=issuer, depth=0, issued_on=issued_on, deadline=due, original_deadline=due)
        self.change(root, A.OPENED, on=issued_on, actor=issuer, note=text)
        self.work(rng, root, head=(self.heads.get(lead.pk) or [None])[0], issuer=issuer)
        return order, root

    def work(self, rng: random.Random, node: _Node, *, head: int | None, issuer: int | None) -> None:
        """Maybe delegate down, maybe extend, then report/accept as the assignment's fate says."""
        a, today = node.row, self.today
        if a.issued_on >= today:
            return
        depth, org = a.depth, self.orgs[a.executor_organisation_id]
        target = None
        if depth == 0 and self.units.get(org.pk) and rng.random() < 0.65:
            target = (rng.choice(self.units[org.pk]), None)
        elif depth == 1 and a.executor_user_id is None and self.executors.get(org.pk) and rng.random() < 0.6:
            target = (org, rng.choice(self.executors[org.pk]))
        if target is not None:
            on = min(a.issued_on + timedelta(days=rng.randint(0, 3)), today)
            due = previous_working_day(a.deadline - timedelta(days=rng.randint(0, 5)))
            if due >= on:  # else the deadline fell before the day of delegation: no delegation then
                child = self.assignment(organisation=target[0], user=target[1], parent=node, title=a.title, text="",
                                        issuer_id=head, issuer_organisation_id=org.pk, depth=depth + 1,
                                        issued_on=on, deadline=due, original_deadline=due)
                if a.status == Status.ISSUED:
                    a.status = Status.IN_PROGRESS
                    self.change(node, A.STARTED, on=on, actor=head)
                self.change(child, A.DELEGATED, on=on, actor=head)
                next_head = target[1] or (self.heads.get(target[0].pk) or [None])[0]
                self.work(rng, child, head=next_head, issuer=head)
        # an extension of a top-level assignment, granted two times in three
        if rng.random() < 0.15 and a.status in (Status.ISSUED, Status.IN_PROGRESS) and depth == 0:
            asked_on = min(a.issued_on + timedelta(days=rng.randint(1, 10)), today)
            due = previous_working_day(a.deadline + timedelta(days=rng.randint(10, 40)))
            if due > a.deadline:
                reason = "Требуется дополнительное время на согласование"
                ext = {"requested_by_id": head, "reason": reason, "requested_deadline": due,
                       "previous_deadline": a.deadline, "granted_deadline": None, "answer": ""}
                node.extensions.append(ext)
                ext["created_at"] = self.change(node, A.EXTENSION_REQUESTED, on=asked_on, actor=head, note=reason)
                ext["decided_by_id"] = issuer
                if rng.random() < 0.67:
                    ext["status"], ext["granted_deadline"] = Extension.Status.GRANTED, due
                    a.deadline = due
                    ext["decided_at"] = self.change(node, A.EXTENDED, on=asked_on, actor=issuer, note=reason)
                else:
                    ext["status"], ext["answer"] = Extension.Status.REFUSED, "Оснований для продления нет"
                    ext["decided_at"] = self.change(node, A.EXTENSION_REFUSED, on=asked_on, actor=issuer,
                                                    note=ext["answer"])
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
            if depth == 0:
                on = min(a.deadline + timedelta(days=rng.randint(1, 30)), today)
                self.cancel(node, on=on, actor=issuer, reason="Утратило актуальность")
            return
        late = past_deadline and rng.random() < 0.25
        submitted = a.deadline + timedelta(days=rng.randint(1, 25)) if late else \
            a.deadline - timedelta(days=rng.randint(0, max(0, min(15, (a.deadline - a.issued_on).days))))
        submitted = max(a.issued_on, min(_working(submitted, today), today))
        text = rng.choice(REPORTS)
        self.report(node, text=text, on=submitted, author=head)
        if fate == "done":
            if rng.random() < 0.1:
                reason = "Отчёт неполный, дополните"
                report = node.reports[-1]
                report.update(decision=Report.Decision.RETURNED, decided_by_id=issuer, reason=reason)
                a.status = Status.IN_PROGRESS
                report["decided_at"] = self.change(node, A.RETURNED, on=submitted, actor=issuer, note=reason)
                self.report(node, text=rng.choice(REPORTS), on=submitted, author=head)
            on = min(submitted + timedelta(days=rng.randint(0, 3)), today)
            report = node.reports[-1]
            a.status, a.completed_on = Status.DONE, submitted
            a.closed_at = self.change(node, A.ACCEPTED, on=on, actor=issuer)
            report.update(decision=Report.Decision.ACCEPTED, decided_by_id=issuer, decided_at=a.closed_at)

    def report(self, node: _Node, *, text: str, on: date, author: int | None) -> None:
        node.row.status = Status.REPORTED
        at = self.change(node, A.REPORTED, on=on, actor=author, note=text)
        node.reports.append({"author_id": author, "text": text, "submitted_on": on, "created_at": at,
                             "decision": Report.Decision.PENDING, "decided_by_id": None, "decided_at": None,
                             "reason": ""})

    def cancel(self, node: _Node, *, on: date, actor: int | None, reason: str) -> None:
        """Cancel the assignment and whatever delegated from it is still open (as ``control_cancel``)."""
        for report in node.reports:
            if report["decision"] == Report.Decision.PENDING:
                report["decision"] = Report.Decision.WITHDRAWN
        node.row.status = Status.CANCELLED
        node.row.closed_at = self.change(node, A.CANCELLED, on=on, actor=actor, note=reason)
        for child in node.children:
            if child.row.status in (Status.ISSUED, Status.IN_PROGRESS, Status.REPORTED):
                self.cancel(child, on=on, actor=actor, reason=reason)


def _write(orders: list[Order], roots: list[_Node]) -> tuple[int, int]:
    """Write the played-out orders: a few ``bulk_create`` per table, level by level of the trees."""
    if not orders:
        return 0, 0
    Order.objects.bulk_create(orders, batch_size=BATCH)  # drafts first: the assignments point at them
    if any(o.pk is None for o in orders):  # a backend that returns no keys from a bulk insert
        by_number = dict(Order.objects.filter(number__in=[o.number for o in orders]).values_list("number", "pk"))
        for o in orders:
            o.pk = by_number[o.number]
    subject_type = ContentType.objects.get_for_model(Order)
    level = []
    for order, root in zip(orders, roots, strict=True):
        root.row.subject_type, root.row.subject_id = subject_type, str(order.pk)
        level.append(root)
    nodes: list[_Node] = []
    while level:
        for node in level:
            if node.parent is not None:
                node.row.subject_type, node.row.subject_id = subject_type, node.parent.row.subject_id
                node.row.parent_id, node.row.root_id = node.parent.row.pk, node.parent.row.root_id
        Assignment.objects.bulk_create([n.row for n in level], batch_size=BATCH)
        if level[0].parent is None:
            for node in level:
                node.row.root_id = node.row.pk
        nodes += level
        level = [child for node in level for child in node.children]
    Assignment.objects.filter(parent__isnull=True, root__isnull=True, kind="order").update(root=F("pk"))
    # the trees' closure table (``Assignment.save`` keeps it, bulk_create does not): every node's ancestors
    links = []
    for node in nodes:
        above = node.parent
        while above is not None:
            links.append(AssignmentAncestor(ancestor_id=above.row.pk, descendant_id=node.row.pk))
            above = above.parent
    AssignmentAncestor.objects.bulk_create(links, batch_size=BATCH)
    transitions, reports, extensions = [], [], []
    for node in nodes:
        pk = node.row.pk
        transitions += [(pk, *item) for item in node.history]
        reports += [{"assignment_id": pk, **item} for item in node.reports]
        extensions += [{"assignment_id": pk, **item} for item in node.extensions]
    _insert(Transition, TRANSITION, transitions)
    _insert(Report, REPORT, [tuple(r.get(c, r.get("created_at")) for c in REPORT) for r in reports])
    _insert(Extension, EXTENSION, [tuple(e.get(c, e.get("created_at")) for c in EXTENSION) for e in extensions])
    # issue the drafts: each order's control is the top-level assignment whose subject it is
    top = Assignment.objects.filter(parent__isnull=True, subject_type=subject_type,
                                    subject_id=Cast(OuterRef("pk"), CharField())).values("pk")[:1]
    Order.objects.filter(pk__gte=min(o.pk for o in orders), is_draft=True, number__startswith=PREFIX).update(
        is_draft=False, assignment=Subquery(top))
    return len(nodes), len(transitions)


TRANSITION = ("assignment_id", "at", "actor_id", "action", "status", "deadline", "executor_organisation_id",
              "executor_user_id", "completed_on", "note")
REPORT = ("assignment_id", "author_id", "text", "submitted_on", "decision", "decided_by_id", "decided_at", "reason",
          "created_at", "updated_at")
EXTENSION = ("assignment_id", "requested_by_id", "reason", "requested_deadline", "previous_deadline", "status",
             "granted_deadline", "decided_by_id", "decided_at", "answer", "created_at", "updated_at")


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """A plain multi-row INSERT (executemany in batches): the ORM's per-value preparation is most of a
    ``bulk_create`` of plain rows, and these rows need no keys back."""
    if not rows:
        return
    ops = connection.ops
    adapt = []
    for name in columns:
        internal = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") and name != "id"
                                         else name).get_internal_type()
        adapt.append(ops.adapt_datetimefield_value if internal == "DateTimeField" else
                     ops.adapt_datefield_value if internal == "DateField" else None)
    names = ", ".join(ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    prepared = [tuple(v.value if isinstance(v, Enum) else f(v) if f is not None and v is not None else v
                      for f, v in zip(adapt, row, strict=True)) for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), BATCH):
            cursor.executemany(sql, prepared[start:start + BATCH])


@demo_loader(order=40)
def load_orders(*, scale: int, stdout: TextIO, count: int | None = None) -> list[str]:
    """Orders under control, spread over the blocks (see the module's docstring)."""
    governor = RoleAssignment.objects.filter(role=Role.GOVERNOR, user__is_staff=True).order_by(
        "user_id").values_list("user_id", flat=True).first()
    control = Organisation.objects.filter(kind=Organisation.Kind.CONTROL, parent__isnull=True).first()
    if governor is None or control is None:
        stdout.write("  orders: no governor or Department of Control in the structure; skipped\n")
        return []
    bodies = list(Organisation.objects.filter(parent__isnull=True, is_active=True, kind__in=[
        Organisation.Kind.DEPARTMENT, Organisation.Kind.STATE_COMPANY, Organisation.Kind.MUNICIPAL_ADMINISTRATION])
        .exclude(block__isnull=True).order_by("path"))
    if not bodies:
        return []
    vices = dict(Block.objects.filter(vice_governor__isnull=False).values_list("pk", "vice_governor_id"))
    units: dict[int, list[Organisation]] = {}
    for unit in Organisation.objects.filter(parent__isnull=False, is_active=True).order_by("path"):
        units.setdefault(unit.parent_id, []).append(unit)
    play = _Play(today=timezone.localdate(), control=control, units=units, heads=_heads(), executors=_executors())
    total = count if count is not None else ORDERS_PER_SCALE * scale
    existing = set(Order.objects.filter(number__startswith=PREFIX).values_list("number", flat=True))
    orders, roots = [], []
    for n in range(1, total + 1):
        number = f"{PREFIX}{n:05d}"
        if number in existing:
            continue
        order, root = play.order(random.Random(f"krai-demo-order:{number}"), number=number, governor=governor,
                                 bodies=bodies, vices=vices)
        orders.append(order)
        roots.append(root)
    assignments, transitions = _write(orders, roots)
    if orders:
        TopLoad.rebuild()  # the bulk insert went around Assignment.save, which keeps the counts
    stdout.write(f"  orders: {len(orders)} new orders, {assignments} assignments, {transitions} history rows "
                 f"({total} wanted, {len(existing)} were there)\n")
    return []
