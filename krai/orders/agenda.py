"""What the control engine puts in a person's planner (``krai.core.agenda``): the deadlines of what he executes and
of what he gave.

- ``deadline``: an assignment he executes by name, or one given to an organisation he heads with no person named
  (the "mine" list of the orders pages says the same);
- ``control_point``: an intermediate deadline of an order he issued (a child assignment opened for it);
- ``control``: any other assignment he gave — an order he issued, a part he delegated — due that day.

Every assignment the engine keeps is here, whatever its subject (an order, a problem's reaction, a project's
item, a law-making reaction), so those areas do not list the same deadline again. Cancelled assignments are not
shown; executed ones are, as executed and never overdue. Three or four queries, however many rows.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from krai.core.agenda import AgendaItem, window_days
from krai.orders.models import Status, Transition
from krai.orders.rules import head_reach
from krai.orders.selectors import assignments_visible_to

AREA = "orders"


def _executes(user) -> Q:
    """Assignments ``user`` executes: named as their executor, or heading their organisation when none is named."""
    paths, municipalities = head_reach(user)
    q = Q(executor_user_id=user.pk)
    for path in paths:
        q |= Q(executor_user__isnull=True, executor_organisation__path__startswith=path)
    if municipalities:
        q |= Q(executor_user__isnull=True, executor_organisation__municipality_id__in=sorted(municipalities))
    return q


def items(user, start: datetime, end: datetime) -> list[AgendaItem]:
    """The deadlines between ``start`` and ``end`` of the assignments ``user`` executes or gave."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff or end <= start:
        return []
    first, last = window_days(start, end)
    executes = _executes(user)
    point = Transition.objects.filter(assignment=OuterRef("pk"), action=Transition.Action.DELEGATED,
                                      note="control_point")
    rows = (assignments_visible_to(user)
            .filter(executes | Q(issuer_id=user.pk), deadline__gte=first, deadline__lte=last)
            .exclude(status=Status.CANCELLED)
            .annotate(is_point=Exists(point), is_mine=ExpressionWrapper(executes, output_field=BooleanField()))
            .select_related("executor_organisation", "executor_user")
            .order_by("deadline", "id"))
    today = timezone.localdate()
    found: list[AgendaItem] = []
    for row in rows:
        if row.is_mine:
            kind, detail = "deadline", str(row.executor_organisation)
        else:
            kind = "control_point" if row.is_point else "control"
            executor = row.executor_user.short_name if row.executor_user_id else ""
            detail = ", ".join(part for part in (str(row.executor_organisation), executor) if part)
        found.append(AgendaItem(
            key=f"{AREA}:{kind}:{row.pk}", area=AREA, kind=kind, title=row.title, start=row.deadline,
            url=reverse("orders:assignment", args=[row.pk]), overdue=row.is_overdue(today),
            status=row.get_status_display(), detail=detail))
    return found
