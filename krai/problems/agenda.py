"""What residents' problems put in a person's planner (``krai.core.agenda``): the day the answer is due, for the
problems routed to a body whose staff he works in (an executor role over that organisation or its municipality).

A problem's reaction is also an assignment of the control engine given to the body with no person named, so the
orders area already shows its deadline to the body's head; the bodies he heads are left out here so that his day
does not list it twice. Region-wide and block-wide people oversee the answers and do not give them, as
``problems.rules.covers_organisation`` says: nothing for them here. Two queries, however many problems.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from krai.core.agenda import AgendaItem, window_days
from krai.org.models import Role, RoleAssignment, ScopeKind
from krai.problems.models import Problem

AREA = "problems"


def _bodies(user) -> tuple[Q, Q]:
    """Problems of the bodies ``user`` works in as an executor, and of those he heads."""
    works, heads = Q(pk__in=[]), Q(pk__in=[])
    roles = (RoleAssignment.objects.filter(user=user, role__in=(Role.EXECUTOR, Role.HEAD),
                                           scope__in=(ScopeKind.ORGANISATION, ScopeKind.MUNICIPALITY))
             .values_list("role", "scope", "organisation__path", "municipality_id"))
    for role, scope, path, municipality_id in roles:
        if scope == ScopeKind.ORGANISATION and path:
            q = Q(organisation__path__startswith=path)
        elif scope == ScopeKind.MUNICIPALITY and municipality_id:
            q = Q(organisation__municipality_id=municipality_id)
        else:
            continue
        if role == Role.HEAD:
            heads |= q
        else:
            works |= q
    return works, heads


def items(user, start: datetime, end: datetime) -> list[AgendaItem]:
    """The problems routed to ``user``'s body whose answer is due between ``start`` and ``end``; those answered
    are there too, as answered and never overdue."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff or end <= start:
        return []
    first, last = window_days(start, end)
    works, heads = _bodies(user)
    problems = (Problem.objects.filter(works, status__in=Problem.PUBLISHED, duplicate_of__isnull=True,
                                       due_date__gte=first, due_date__lte=last)
                .exclude(heads).select_related("category").order_by("due_date", "id"))
    return [AgendaItem(
        key=f"{AREA}:answer:{problem.pk}", area=AREA, kind="answer",
        title=_("Answer to problem № %(number)s: %(category)s") % {"number": problem.pk,
                                                                  "category": problem.category.name},
        start=problem.due_date, url=reverse("problems:ws-detail", args=[problem.pk]), overdue=problem.is_overdue,
        status=problem.get_status_display(), detail=problem.address)
        for problem in problems]
