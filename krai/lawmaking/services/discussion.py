"""Writes of the idea discussion: support (the threshold moves the initiative to the draft elaboration), the
initiator's questions to the public and their answers, and the discussion's end for an initiative short of the
threshold (the periodic job calls ``discussions_end_due``).

Each function checks who acts, writes in one transaction with its event; notifications follow from the events
(``subscribers_discussion``). Settings: ``KRAI_LAWMAKING_PUBLIC_WRITE_RATE`` ("60/h": supports, questions and
answers a person makes at most per period; honours ``RATELIMIT_ENABLE``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from krai.core import ratelimit
from krai.core.events.services import record_event
from krai.lawmaking import policy
from krai.lawmaking.limits import RateLimited
from krai.lawmaking.models import Answer, Initiative, Question, Stage, Support
from krai.lawmaking.services import stages

__all__ = ["answer_give", "answer_hide", "discussions_end_due", "question_ask", "question_close", "support_add",
           "support_remove"]

MAX_OPEN_QUESTIONS = 10
QUESTION_MAX = Question._meta.get_field("text").max_length
ANSWER_MAX = 5000
REASON_MAX = Answer._meta.get_field("hidden_reason").max_length
#: stages in which the initiator asks the public and people answer
QUESTION_STAGES = (Stage.DISCUSSION, Stage.ELABORATION)


def _check_rate(actor: Any, action: str) -> None:
    limit, seconds = ratelimit.rate(getattr(settings, "KRAI_LAWMAKING_PUBLIC_WRITE_RATE", "60/h"), "h")
    if not ratelimit.within(f"lawmaking:{action}", actor.pk, limit, seconds):
        raise RateLimited(_("You are doing this too often. Please wait a while and try again."),
                          code="rate_limited")


def _ensure_resident(actor: Any, message: str) -> None:
    policy.ensure_signed_in(actor)
    if not actor.email_confirmed:
        raise PermissionDenied(message)


def _ensure_visible(actor: Any, initiative: Initiative) -> None:
    # the same refusal as a missing initiative: a hidden concept is not revealed by the error
    if not policy.may_see(actor, initiative):
        raise PermissionDenied(_("This initiative is not available."))


def _clean_text(value: Any, *, field: str, limit: int, required: str) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)s characters (this one has %(length)s).")
                               % {"limit": limit, "length": len(text)}})
    return text


def _sync(initiative: Initiative, fresh: Initiative) -> None:
    """The caller's object shows what the locked row now holds (count, stage)."""
    for name in ("stage", "stage_started_at", "stage_due", "support_count", "editor_id", "updated_at"):
        setattr(initiative, name, getattr(fresh, name))


# --- support ---------------------------------------------------------------------------------------

@transaction.atomic
def support_add(*, actor: Any, initiative: Initiative) -> tuple[Support, bool]:
    """Support an initiative under discussion; returns the support and whether it is new (a second call changes
    nothing). The supporter that reaches ``support_threshold`` moves it to the draft elaboration.

    The initiative's row is locked first, so two last supporters at once count 99 → 100 → 101 and the move
    happens exactly once.
    """
    _ensure_resident(actor, _("Confirm your e-mail address to support initiatives."))
    _ensure_visible(actor, initiative)
    locked = stages.lock(initiative)
    stages.require_stage(locked, Stage.DISCUSSION,
                         message=_("Support is collected only while the idea is discussed."))
    if locked.stage_due is not None and locked.stage_due < timezone.localdate():
        raise ValidationError(_("The discussion ended on %(date)s.") % {"date": locked.stage_due.strftime("%d.%m.%Y")},
                              code="discussion_ended")
    if locked.initiator_id == actor.pk:
        raise ValidationError(_("You cannot support your own initiative."), code="own")
    existing = Support.objects.filter(initiative=locked, user=actor).first()
    if existing is not None:
        _sync(initiative, locked)
        return existing, False
    _check_rate(actor, "support")
    support = Support.objects.create(initiative=locked, user=actor)
    Initiative.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
    locked.refresh_from_db(fields=["support_count"])
    record_event(kind="lawmaking.supported", actor=actor, subject=locked,
                 payload=stages.payload(locked, support_id=support.pk, supporters=locked.support_count,
                                        threshold=locked.support_threshold))
    if locked.support_threshold and locked.support_count >= locked.support_threshold:
        from krai.lawmaking.services import moves  # the staff moves own the move to elaboration

        with translation.override(settings.LANGUAGE_CODE):  # the timeline's note is one text for everyone
            note = _("Support threshold reached: %(count)s of %(threshold)s.") % {
                "count": locked.support_count, "threshold": locked.support_threshold}
        moves.move_to_elaboration(initiative=locked, actor=None, note=note)
        locked.refresh_from_db()
    _sync(initiative, locked)
    return support, True


@transaction.atomic
def support_remove(*, actor: Any, initiative: Initiative) -> bool:
    """Withdraw one's support while the idea is discussed; ``False`` when there was none (nothing changed)."""
    policy.ensure_signed_in(actor)
    _ensure_visible(actor, initiative)
    locked = stages.lock(initiative)
    stages.require_stage(locked, Stage.DISCUSSION,
                         message=_("Support can be withdrawn only while the idea is discussed."))
    deleted, _rows = Support.objects.filter(initiative=locked, user=actor).delete()
    if not deleted:
        _sync(initiative, locked)
        return False
    Initiative.objects.filter(pk=locked.pk, support_count__gt=0).update(support_count=F("support_count") - 1)
    locked.refresh_from_db(fields=["support_count"])
    record_event(kind="lawmaking.unsupported", actor=actor, subject=locked,
                 payload=stages.payload(locked, supporters=locked.support_count))
    _sync(initiative, locked)
    return True


# --- questions and answers -------------------------------------------------------------------------

def _asks(actor: Any, initiative: Initiative) -> bool:
    """The initiator asks the public, and the draft's editor named for him."""
    return policy.is_active_user(actor) and actor.pk in (initiative.initiator_id, initiative.editor_id)


@transaction.atomic
def question_ask(*, actor: Any, initiative: Initiative, text: str) -> Question:
    """The initiator (or the draft's editor) asks the public a question, at most ``MAX_OPEN_QUESTIONS`` open."""
    policy.ensure_signed_in(actor)
    _ensure_visible(actor, initiative)
    if not _asks(actor, initiative):
        raise PermissionDenied(_("Only the initiator or the draft's editor asks the public questions."))
    text = _clean_text(text, field="text", limit=QUESTION_MAX, required=_("Write the question."))
    locked = stages.lock(initiative)
    stages.require_stage(locked, *QUESTION_STAGES,
                         message=_("Questions are asked during the idea discussion and the draft elaboration."))
    if Question.objects.filter(initiative=locked, closed_at__isnull=True).count() >= MAX_OPEN_QUESTIONS:
        raise ValidationError({"text": _("At most %(n)s questions may be open at once: close one first.")
                               % {"n": MAX_OPEN_QUESTIONS}})
    _check_rate(actor, "question")
    question = Question.objects.create(initiative=locked, text=text, author=actor)
    record_event(kind="lawmaking.question_asked", actor=actor, subject=question,
                 payload=stages.payload(locked, question_id=question.pk))
    return question


@transaction.atomic
def question_close(*, actor: Any, question: Question) -> Question:
    """Stop taking answers to a question (its asker's side, or a coordinator); closing twice changes nothing."""
    initiative = question.initiative
    if not (_asks(actor, initiative) or policy.is_coordinator(actor)):
        policy.ensure_signed_in(actor)
        raise PermissionDenied(_("Only the initiator or the draft's editor closes a question."))
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.closed_at is not None:
        return question
    question.closed_at = timezone.now()
    question.save(update_fields=["closed_at"])
    record_event(kind="lawmaking.question_closed", actor=actor, subject=question,
                 payload=stages.payload(initiative, question_id=question.pk))
    return question


@transaction.atomic
def answer_give(*, actor: Any, question: Question, text: str) -> tuple[Answer, bool]:
    """Answer a question (one answer a person; giving it again changes it); returns the answer and whether it is
    new. Only while the question is open and the initiative in the discussion or the elaboration."""
    _ensure_resident(actor, _("Confirm your e-mail address to answer questions."))
    initiative = question.initiative
    _ensure_visible(actor, initiative)
    text = _clean_text(text, field="text", limit=ANSWER_MAX, required=_("Write your answer."))
    question = Question.objects.select_for_update().select_related("initiative").get(pk=question.pk)
    if question.closed_at is not None:
        raise ValidationError(_("This question is closed: it takes no more answers."), code="closed")
    stages.require_stage(question.initiative, *QUESTION_STAGES,
                         message=_("Answers are taken during the idea discussion and the draft elaboration."))
    answer = Answer.objects.filter(question=question, author=actor).first()
    if answer is not None and answer.hidden_at is not None:
        raise ValidationError(_("Your answer was hidden by a moderator and cannot be changed."), code="hidden")
    if answer is not None and answer.text == text:
        return answer, False
    _check_rate(actor, "answer")
    created = answer is None
    if created:
        answer = Answer.objects.create(question=question, author=actor, text=text)
    else:
        answer.text = text
        answer.save(update_fields=["text", "updated_at"])
    record_event(kind="lawmaking.answer_given", actor=actor, subject=answer,
                 payload=stages.payload(question.initiative, question_id=question.pk, answer_id=answer.pk,
                                        changed=not created))
    return answer, created


@transaction.atomic
def answer_hide(*, actor: Any, answer: Answer, reason: str) -> Answer:
    """A coordinator hides an answer, saying why (the author and coordinators still see it); hiding twice
    changes nothing."""
    if not policy.is_coordinator(actor):
        policy.ensure_signed_in(actor)
        raise PermissionDenied(_("Only law-making coordinators hide answers."))
    reason = _clean_text(reason, field="reason", limit=REASON_MAX, required=_("Say why the answer is hidden."))
    answer = Answer.objects.select_for_update().select_related("question__initiative").get(pk=answer.pk)
    if answer.hidden_at is not None:
        return answer
    answer.hidden_at, answer.hidden_reason = timezone.now(), reason
    answer.save(update_fields=["hidden_at", "hidden_reason"])
    record_event(kind="lawmaking.answer_hidden", actor=actor, subject=answer,
                 payload=stages.payload(answer.question.initiative, question_id=answer.question_id,
                                        answer_id=answer.pk, reason=reason))
    return answer


# --- the discussion's end --------------------------------------------------------------------------

def discussions_end_due(*, today: date | None = None) -> int:
    """Stop every initiative whose discussion ended (``stage_due`` before ``today``) short of its support
    threshold; the reason names the numbers and the initiator is told (event ``lawmaking.discussion_ended``).
    Returns how many stopped. Idempotent: each row is re-read under its lock, so a second run (or a supporter who
    just moved it on) finds nothing to do. An initiative without a threshold waits for the staff's decision."""
    today = today or timezone.localdate()
    due = (Initiative.objects.filter(stage=Stage.DISCUSSION, stage_due__lt=today, support_threshold__gt=0,
                                     support_count__lt=F("support_threshold"))
           .order_by("pk").values_list("pk", flat=True))
    stopped = 0
    for pk in list(due):
        with transaction.atomic():
            initiative = Initiative.objects.select_for_update().filter(pk=pk).first()
            if (initiative is None or initiative.stage != Stage.DISCUSSION or initiative.stage_due is None
                    or initiative.stage_due >= today or initiative.support_count >= initiative.support_threshold):
                continue
            with translation.override(settings.LANGUAGE_CODE):  # stored once, read by everyone
                reason = _("Support threshold not reached: %(count)s of %(threshold)s by %(date)s") % {
                    "count": initiative.support_count, "threshold": initiative.support_threshold,
                    "date": initiative.stage_due.strftime("%d.%m.%Y")}
            ended_on = initiative.stage_due
            stages.enter(initiative, Stage.STOPPED, actor=None, note=reason)
            record_event(kind="lawmaking.discussion_ended", actor=None, subject=initiative,
                         payload=stages.payload(initiative, supporters=initiative.support_count,
                                                threshold=initiative.support_threshold,
                                                ended_on=ended_on.isoformat(), reason=reason))
            stopped += 1
    return stopped
