"""Jobs of the expertise (Huey); ``tasks`` imports them so Huey finds them. A periodic sweep, safe to run any
number of times: drafts whose expertise deadline has passed go for the government's reaction, and invited
experts who have not reviewed yet are reminded two working days before the deadline (once)."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.core.workcalendar.selectors import working_days_between
from krai.lawmaking.models import Initiative, Invitation, Stage
from krai.lawmaking.services import expertise, reactions

__all__ = ["expertise_sweep", "lawmaking_expertise_sweep"]

log = logging.getLogger(__name__)

REMIND_WORKING_DAYS = 2


def expertise_sweep(today: date | None = None) -> dict[str, int]:
    """Move the expertises past their deadline to the reaction; remind experts of a near deadline."""
    today = today or timezone.localdate()
    moved = reminded = 0
    for initiative in Initiative.objects.filter(stage=Stage.EXPERTISE, stage_due__lt=today).order_by("pk"):
        try:
            reactions.reaction_request(actor=None, initiative=initiative)
        except ValidationError as exc:  # moved meanwhile, or already on control: the next run sees it right
            log.warning("lawmaking: initiative %s not sent for the reaction: %s", initiative.pk, exc.messages)
            continue
        moved += 1
    waiting = (Invitation.objects.filter(status=Invitation.Status.INVITED, initiative__stage=Stage.EXPERTISE,
                                         due__gte=today)
               .select_related("initiative").order_by("pk"))
    for invitation in waiting:
        if working_days_between(today, invitation.due) <= REMIND_WORKING_DAYS \
                and expertise.review_remind(invitation=invitation):
            reminded += 1
    return {"moved": moved, "reminded": reminded}


@db_periodic_task(crontab(minute="15"))
def lawmaking_expertise_sweep() -> None:
    """Every hour: expertises past their deadline → the reaction; reminders before the deadline."""
    expertise_sweep()
