"""What law-making puts in a person's planner (``krai.core.agenda``), among the initiatives he may read:

- ``review``: the day an expert's review is due, when he was invited and did not decline;
- ``stage``: the day the current stage of an initiative is planned to end, when he edits its draft or heads its
  responsible body.

The government's reaction is an assignment of the control engine given to the responsible body, so the orders
area already shows its deadline to the body's head; the reaction stage is left out here so that the day does not
list it twice. Three or four queries, however many initiatives.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.agenda import AgendaItem, window_days
from krai.lawmaking.models import Invitation, Stage
from krai.lawmaking.selectors.initiatives import visible
from krai.org.scopes import headed_organisations_q

AREA = "lawmaking"

#: stages whose planned end is a person's deadline here (see the module's note on the reaction)
STAGES = (Stage.CONCEPT, Stage.DISCUSSION, Stage.ELABORATION, Stage.EXPERTISE)


def _reviews(user, first: date, last: date, today: date) -> list[AgendaItem]:
    invitations = (Invitation.objects.filter(expert_id=user.pk, due__gte=first, due__lte=last,
                                             initiative__in=visible(user).values("pk"))
                   .exclude(status=Invitation.Status.DECLINED)
                   .select_related("initiative", "initiative__responsible_body").order_by("due", "id"))
    return [AgendaItem(
        key=f"{AREA}:review:{invitation.pk}", area=AREA, kind="review",
        title=_("Expert review: %(title)s") % {"title": invitation.initiative.title}, start=invitation.due,
        url=reverse("lawmaking:review", args=[invitation.initiative_id]),
        overdue=(invitation.status == Invitation.Status.INVITED and invitation.due < today
                 and invitation.initiative.stage == Stage.EXPERTISE),
        status=invitation.get_status_display(), detail=str(invitation.initiative.responsible_body))
        for invitation in invitations]


def _stages(user, first: date, last: date, today: date) -> list[AgendaItem]:
    mine = Q(editor_id=user.pk) | headed_organisations_q(user, "responsible_body")
    initiatives = (visible(user).filter(mine, stage__in=STAGES, stage_due__gte=first, stage_due__lte=last)
                   .order_by("stage_due", "id"))
    return [AgendaItem(
        key=f"{AREA}:stage:{initiative.pk}-{initiative.stage}", area=AREA, kind="stage",
        title=_("End of the stage “%(stage)s”: %(title)s") % {"stage": initiative.get_stage_display(),
                                                              "title": initiative.title},
        start=initiative.stage_due, url=initiative.get_absolute_url(), overdue=initiative.stage_due < today,
        status=str(initiative.get_stage_display()), detail=str(initiative.responsible_body))
        for initiative in initiatives]


def items(user, start: datetime, end: datetime) -> list[AgendaItem]:
    """The reviews due and the stages planned to end between ``start`` and ``end`` that are ``user``'s to keep."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff or end <= start:
        return []
    first, last = window_days(start, end)
    today = timezone.localdate()
    return _reviews(user, first, last, today) + _stages(user, first, last, today)
