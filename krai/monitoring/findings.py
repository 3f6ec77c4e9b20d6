"""A finding of any monitor becomes an order of the control engine in one step.

A drop in a rating, an indicator past its threshold, a critical vacancy, a case with no next step: the
monitor calls ``finding_to_order`` with the object the finding is about; the engine opens an assignment for
the executor organisation by a deadline, and the finding keeps the assignment (one open order per object,
the engine refuses a second).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.orders.models import Assignment
from krai.orders.services import control_open


@transaction.atomic
def finding_to_order(*, actor, kind: str, subject: models.Model, title: str, executor_organisation,
                     text: str = "", deadline: dt.date | None = None, working_days: int | None = None) -> Assignment:
    """Open an assignment of the control engine about ``subject`` for ``executor_organisation``.

    ``kind`` names the monitor (``monitoring.rating``, ``monitoring.indicator``…); the engine checks that the
    actor may put this organisation's work on control and that ``subject`` is not on control already.
    """
    if executor_organisation is None:
        raise ValidationError({"executor_organisation": _("Choose the organisation that will carry it out.")})
    if deadline is None and working_days is None:
        raise ValidationError({"deadline": _("Give a deadline or a number of working days.")})
    assignment = control_open(actor=actor, kind=kind, subject=subject, title=title[:500],
                              executor_organisation=executor_organisation, deadline=deadline,
                              working_days=working_days, text=text)
    record_event(kind="monitoring.finding_ordered", actor=actor, subject=subject,
                 payload={"kind": kind, "assignment": assignment.pk, "executor_organisation": executor_organisation.pk})
    return assignment
