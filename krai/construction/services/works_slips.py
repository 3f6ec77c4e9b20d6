"""The daily look for "Find out" works slipping past their plan: each slip (a planned start passed unstarted, a
planned end passed uncompleted) recorded once as ``construction.work_slipped``, so its subscribers are told once
(``subscribers_works``); run by ``tasks_works.check_slipping_works``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from krai.construction.models import Work, WorkStatus
from krai.construction.services._works_checks import _payload
from krai.core.events.models import Event
from krai.core.events.services import record_event

__all__ = ["works_check_slips"]


def _slips_due(work: Work, today: date) -> list[tuple[str, date]]:
    """The slips a work shows today: its planned start passed unstarted, its planned end passed uncompleted."""
    slips = []
    if work.actual_start is None and work.planned_start < today:
        slips.append(("start", work.planned_start))
    if work.status != WorkStatus.COMPLETED and work.planned_end < today:
        slips.append(("end", work.planned_end))
    return slips


def works_check_slips(*, today: date | None = None) -> int:
    """The daily look: each slip (a planned date passed, per date) is recorded once as ``construction.work_slipped``
    — the event log remembers what was told, so a rerun or a redelivery tells nobody twice. Returns how many."""
    today = today or timezone.localdate()
    # a passed end implies a passed start (the plan is ordered), so these are all the candidates
    candidates = list(Work.objects.exclude(status=WorkStatus.COMPLETED).filter(planned_start__lt=today))
    told = {(e.subject_id, (e.payload or {}).get("reason"), (e.payload or {}).get("planned"))
            for e in Event.objects.filter(kind="construction.work_slipped",
                                          subject_type=ContentType.objects.get_for_model(Work),
                                          subject_id__in=[str(w.pk) for w in candidates]).only("subject_id", "payload")}
    recorded = 0
    for work in candidates:
        for reason, planned in _slips_due(work, today):
            if (str(work.pk), reason, planned.isoformat()) in told:
                continue
            with transaction.atomic():
                record_event(kind="construction.work_slipped", actor=None, subject=work,
                             payload=_payload(work, reason=reason, planned=planned.isoformat(),
                                              days=(today - planned).days))
            recorded += 1
    return recorded
