"""Sending an answer again: a notification whose attempts were used up (or that was kept because the system had
nowhere to take it) is put back in the outbox by the Department of Control or an administrator, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.integration.docflow.models import AnswerStatus, DocflowAnswer


@transaction.atomic
def answer_retry(*, actor: Any, answer: DocflowAnswer) -> DocflowAnswer:
    """Put a failed or kept answer back in the outbox, its attempts counted afresh."""
    if actor is None or not actor.has_perm("integration.load_packages"):
        raise PermissionDenied(_("You may not send answers to document-flow systems."))
    answer = DocflowAnswer.objects.select_for_update().get(pk=answer.pk)
    if answer.status not in (AnswerStatus.FAILED, AnswerStatus.HELD):
        raise ValidationError(_("Only an answer that failed or was kept can be sent again."), code="not_failed")
    answer.status, answer.attempts, answer.next_attempt_at = AnswerStatus.PENDING, 0, timezone.now()
    answer.save(update_fields=["status", "attempts", "next_attempt_at"])
    record_event(kind="docflow.answer_retried", actor=actor, subject=answer,
                 payload={"uid": answer.uid, "kind": answer.kind, "package_id": answer.item.package_id})
    return answer
