"""What a dashboard number counts and what the list behind it shows, written once for both.

The dashboard groups and counts; the list opened by a number filters and pages. Both narrow the same visible
assignments by the same functions here — filters, place (block, body, executor, who gave it, top level) and
bucket — over the same columns, so a number and its list cannot drift apart.

"As of" a past day the columns are those of the assignment's history (``historic``): status, deadline and
execution date of its last transition up to the end of that day, and the executor organisation and person it
had then, with the block and the body (the top organisation of its branch) of that organisation. A later
reassignment therefore does not move the past. (The block and body of an organisation are today's: the
structure itself keeps no history.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, F, IntegerField, Lookup, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, StrIndex, Substr, TruncMonth
from django.utils import timezone

from krai.orders.models import OPEN_STATUSES, Assignment, Order, Status, Transition
from krai.org.models import Organisation

#: a place value meaning "none": outside the blocks, the organisation itself (no person named), the system
NONE = 0
BUCKETS = ("total", "done", "open", "overdue", "late")
OPEN = [str(s) for s in OPEN_STATUSES]


class OpenStatus(Lookup):
    """``status IN ('issued', 'in_progress', 'reported')`` with the statuses written into the SQL, not bound.

    The partial index on open rows by deadline (``orders_asg_open_deadline``) has that condition; SQLite uses a
    partial index only when the query repeats its condition term for term, and a bound parameter is not the
    literal. With parameters, SQLite read every overdue row by (status, deadline) and sorted them for the 20
    worst (1.4–9.5 s at 1,000,000); with literals it reads the first 20 in deadline order (docs/performance.md).
    """

    lookup_name = "open_status"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        assert all(s.replace("_", "").isalpha() for s in OPEN)  # constants of the model, safe to inline
        return f"{lhs} IN ({', '.join(repr(s) for s in OPEN)})", params


@dataclass(frozen=True)
class Columns:
    """The names a count reads: the assignment's own columns, or those annotated from its history."""

    status: str
    deadline: str
    completed: str
    block: str
    body: str
    executor: str


CURRENT = Columns("status", "deadline", "completed_on", "block_id", "body_id", "executor_user_id")
HISTORIC = Columns("h_status", "h_deadline", "h_completed", "h_block", "h_body", "h_executor")


def ids_as_text(orders: QuerySet) -> QuerySet:
    """Order ids as text: a subject_id is text (any model's key); PostgreSQL compares no text with numbers."""
    return orders.annotate(pk_text=Cast("pk", output_field=CharField())).values("pk_text")


def historic(qs: QuerySet[Assignment], day: date) -> QuerySet[Assignment]:
    """Annotate ``HISTORIC`` columns as of the end of ``day``; keep what existed then and was not cancelled.

    One correlated subquery finds the id of the row's last transition up to that day (the newest entry of the
    (assignment, at) index), and that transition is joined for every column of the history, instead of one
    ordered subquery per column. At 1,000,000 that takes the region's whole set from 10 s to 6 s, but one
    block's share from 1.3 s to 2 s (PostgreSQL hashes the whole history for the join): a stopgap either way
    until past days are pre-counted (docs/performance.md). The join is an inner one: a row with no transition
    by then did not exist yet.
    """
    end = timezone.make_aware(datetime.combine(day, time.max))
    last = Transition.objects.filter(assignment=OuterRef("pk"), at__lte=end).order_by("-at", "-id").values("id")[:1]
    # the body is the first step of the organisation's materialised path ("000001.000007." -> 1)
    body = Cast(Substr("path", 1, StrIndex("path", Value(".")) - 1), IntegerField())
    org = Organisation.objects.filter(pk=OuterRef("h_org"))
    # filter and annotations in this order share the one join of the transition; the organisation (a small
    # table) is read by key per row: joined, PostgreSQL misjudges the join on the subquery's id as one row
    # and loops over every organisation for each assignment
    return (qs.filter(issued_on__lte=day, transitions__id=Subquery(last))
            .annotate(h_status=F("transitions__status"), h_deadline=F("transitions__deadline"),
                      h_completed=F("transitions__completed_on"),
                      h_org=F("transitions__executor_organisation_id"),
                      h_executor=F("transitions__executor_user_id"))
            .annotate(h_block=Subquery(org.values("block_id")[:1]),
                      h_body=Subquery(org.annotate(top=body).values("top")[:1]))
            .filter(~Q(h_status=Status.CANCELLED)))


def counted(qs: QuerySet[Assignment], *, as_of: date | None) -> tuple[QuerySet[Assignment], Columns]:
    """What the dashboard counts at all (nothing cancelled; as of a day, what existed then), and its columns."""
    if as_of:
        return historic(qs, as_of), HISTORIC
    return qs.exclude(status=Status.CANCELLED), CURRENT


def narrow(qs: QuerySet[Assignment], cols: Columns, *, kind: str = "", priority: str = "", source: str = "",
           period_from: date | None = None, period_to: date | None = None) -> QuerySet[Assignment]:
    """The dashboard's filters: kind, the order's urgency and source, a period of deadlines."""
    if kind:
        qs = qs.filter(kind=kind)
    if priority or source:
        orders = Order.objects.all()
        if priority:
            orders = orders.filter(priority=priority)
        if source:
            orders = orders.filter(source_type=source)
        qs = qs.filter(subject_type=ContentType.objects.get_for_model(Order), subject_id__in=ids_as_text(orders))
    if period_from:
        qs = qs.filter(**{f"{cols.deadline}__gte": period_from})
    if period_to:
        qs = qs.filter(**{f"{cols.deadline}__lte": period_to})
    return qs


def place(qs: QuerySet[Assignment], cols: Columns, *, block: int | None = None, body: int | None = None,
          executor: int | None = None, issuer: int | None = None, top: bool = False) -> QuerySet[Assignment]:
    """Where a row of the dashboard sits; ``None`` means any, ``NONE`` (0) means none (an empty column)."""
    for column, value in ((cols.block, block), (cols.body, body), (cols.executor, executor), ("issuer_id", issuer)):
        if value is not None:
            qs = qs.filter(**{column: value or None})
    return qs.filter(parent__isnull=True) if top else qs


def bucket_q(bucket: str, cols: Columns, on: date) -> Q:
    """One column of the dashboard over what ``counted`` keeps: total (all of it: an empty condition),
    executed, on control, overdue on ``on``, executed late."""
    if bucket == "done":
        return Q(**{cols.status: Status.DONE})
    if bucket == "open":
        return Q(OpenStatus(F(cols.status), True))
    if bucket == "overdue":
        return Q(OpenStatus(F(cols.status), True), **{f"{cols.deadline}__lt": on})
    if bucket == "late":
        return Q(**{cols.status: Status.DONE, f"{cols.completed}__gt": F(cols.deadline)})
    return Q()


def grouped(qs: QuerySet[Assignment], group: str, on: date, cols: Columns) -> dict:
    """Every bucket of ``qs`` counted per value of ``group``, in one query: {value: {group: value, bucket: n}}."""
    return {row[group]: row for row in qs.values(group).annotate(
        total=Count("id"), **{b: Count("id", filter=bucket_q(b, cols, on)) for b in BUCKETS if b != "total"}
    ).order_by()}


def _first_day(value) -> date:
    return value.date() if hasattr(value, "date") else value


def monthly(qs: QuerySet[Assignment], cols: Columns, start: date) -> tuple[dict, dict, dict]:
    """The trend of ``qs`` from ``start``: per first day of a month, how many were given, executed, executed late."""
    given = {_first_day(r["m"]): r["n"] for r in qs.filter(issued_on__gte=start)
             .annotate(m=TruncMonth("issued_on")).values("m").annotate(n=Count("id")).order_by()}
    done, late = {}, {}
    for r in (qs.filter(**{cols.status: Status.DONE, f"{cols.completed}__gte": start})
              .annotate(m=TruncMonth(cols.completed)).values("m")
              .annotate(n=Count("id"), lt=Count("id", filter=Q(**{f"{cols.completed}__gt": F(cols.deadline)})))
              .order_by()):
        done[_first_day(r["m"])], late[_first_day(r["m"])] = r["n"], r["lt"]
    return given, done, late


def as_it_was(rows) -> list[Assignment]:
    """Rows read with ``historic`` columns, shown as they stood that day: status, deadline, execution date and
    executor of the history put in place of today's (for display only: these instances are never saved)."""
    from krai.org.models import User

    rows = list(rows)
    orgs = Organisation.objects.in_bulk({a.h_org for a in rows})
    people = User.objects.in_bulk({a.h_executor for a in rows if a.h_executor})
    for a in rows:
        a.status, a.deadline, a.completed_on = a.h_status, a.h_deadline, a.h_completed
        a.executor_organisation = orgs.get(a.h_org, a.executor_organisation)
        a.executor_user = people.get(a.h_executor) if a.h_executor else None
    return rows
