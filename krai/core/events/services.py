"""Writing domain events. Call ``record_event`` inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from krai.core.acting import current_deputy_id
from krai.core.events.models import Event
from krai.core.logging import current_request_id


def _json_safe(payload: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def record_event(*, kind: str, actor=None, subject: models.Model | None = None,
                 payload: dict[str, Any] | None = None) -> Event:
    """Write an event in the current transaction; it is delivered to subscribers after commit.

    Must be called inside ``transaction.atomic`` so that the event exists if and only if the change does.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    deputy_id = current_deputy_id()
    event = Event.objects.create(
        kind=kind,
        actor=actor,
        # marked only where the principal's rights were used: a deputy's own doings (or the system's) are his
        deputy_id=deputy_id if actor is not None and deputy_id != actor.pk else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        payload=_json_safe(payload or {}),
        request_id=current_request_id() if current_request_id() != "-" else "",
    )
    from krai.core.events import dispatch  # late: dispatch schedules the job after commit

    dispatch.schedule_after_commit()
    return event
