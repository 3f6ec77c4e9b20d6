"""Writes of polls: create and publish (staff), vote (residents), close and freeze the results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.participation.models import Answer, Ballot, Option, Participation, Poll, PollResult, Question
from krai.participation.selectors.polls import (
    ballots_checksum,
    poll_refusal,
    poll_tally,
    verified_municipality_id,
    voter_key,
)
from krai.participation.services._common import poll_gate, require

MAX_QUESTIONS = 50
MAX_OPTIONS = 30
MAX_FREE_TEXT = 2000
MAX_SCALE_SPAN = 10

#: refusals about who the voter is (403 in the API); the others are about the poll or the input (400)
IDENTITY_REFUSALS = {"not_signed_in", "not_confirmed", "blocked", "not_verified", "not_in_audience"}


# --- staff: building a poll ------------------------------------------------------------------------

def _clean_questions(questions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, raw in enumerate(questions, start=1):
        text = str(raw.get("text") or "").strip()
        kind = raw.get("kind") or Question.Kind.SINGLE
        options = [str(o).strip() for o in (raw.get("options") or []) if str(o).strip()]
        prefix = _("Question %(n)s: ") % {"n": number}
        if not text:
            errors.append(prefix + str(_("the question's text is empty.")))
        if kind not in Question.Kind.values:
            errors.append(prefix + str(_("unknown kind of question.")))
            continue
        has_options = kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKED)
        if has_options and len(options) < 2:
            errors.append(prefix + str(_("offer at least two options.")))
        if len(options) > MAX_OPTIONS:
            errors.append(prefix + str(_("at most %(n)s options.") % {"n": MAX_OPTIONS}))
        if has_options and len(set(options)) != len(options):
            errors.append(prefix + str(_("the options repeat.")))
        if not has_options and options:
            errors.append(prefix + str(_("this kind of question has no options.")))
        max_choices = raw.get("max_choices") or None
        if max_choices is not None:
            try:
                max_choices = int(max_choices)
            except (TypeError, ValueError):
                max_choices = 0
            if kind != Question.Kind.MULTIPLE or not 1 <= max_choices <= len(options):
                errors.append(prefix + str(_("a limit of choices fits a multiple-choice question, from 1 to the "
                                              "number of options.")))
        try:
            scale_min, scale_max = int(raw.get("scale_min", 1)), int(raw.get("scale_max", 5))
        except (TypeError, ValueError):
            scale_min, scale_max = 0, -1
        if kind == Question.Kind.SCALE and not (scale_min < scale_max and scale_max - scale_min <= MAX_SCALE_SPAN):
            errors.append(prefix + str(_("a scale runs from a lower to a higher value, at most %(n)s steps apart.")
                                       % {"n": MAX_SCALE_SPAN}))
        cleaned.append({"text": text[:500], "kind": kind, "required": bool(raw.get("required", True)),
                        "max_choices": max_choices, "options": options,
                        "scale_min": scale_min if kind == Question.Kind.SCALE else 1,
                        "scale_max": scale_max if kind == Question.Kind.SCALE else 5})
    if not cleaned and not errors:
        errors.append(str(_("A poll needs at least one question.")))
    if len(cleaned) > MAX_QUESTIONS:
        errors.append(str(_("A poll has at most %(n)s questions.") % {"n": MAX_QUESTIONS}))
    if errors:
        raise ValidationError({"questions": errors})
    return cleaned


def _clean_poll(*, actor, title: str, opens_at: dt.datetime, closes_at: dt.datetime, audience: str,
                municipalities: list, organisation) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("A poll needs a title.")
    if not opens_at or not closes_at or closes_at <= opens_at:
        errors["closes_at"] = _("The poll must close after it opens.")
    if audience not in Poll.Audience.values:
        errors["audience"] = _("Choose the whole region or chosen municipalities.")
    elif audience == Poll.Audience.MUNICIPALITIES and not municipalities:
        errors["municipalities"] = _("Choose the municipalities whose residents vote.")
    if organisation is not None and not actor.has_perm("org.view_organisation_internal", organisation):
        errors["organisation"] = _("You may run polls only for organisations within your scope.")
    if errors:
        raise ValidationError(errors)
    return {"title": title[:300]}


def _write_questions(poll: Poll, questions: list[dict[str, Any]]) -> None:
    for position, data in enumerate(questions, start=1):
        question = Question.objects.create(
            poll=poll, position=position, text=data["text"], kind=data["kind"], required=data["required"],
            max_choices=data["max_choices"], scale_min=data["scale_min"], scale_max=data["scale_max"])
        Option.objects.bulk_create(Option(question=question, position=n, text=text[:300])
                                   for n, text in enumerate(data["options"], start=1))


@transaction.atomic
def poll_create(*, actor, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
                questions: Iterable[Mapping[str, Any]], description: str = "", organisation=None,
                audience: str = Poll.Audience.REGION, municipalities: Iterable = (), residents_only: bool = False,
                results_during: bool = False, allow_change: bool = False, secret: bool = True) -> Poll:
    """Create a draft poll with its questions; nothing is written if anything is wrong."""
    require(actor, "participation.add_poll", message=_("Only the organisers of a body may create polls."))
    municipalities = list(municipalities)
    cleaned = _clean_poll(actor=actor, title=title, opens_at=opens_at, closes_at=closes_at, audience=audience,
                          municipalities=municipalities, organisation=organisation)
    questions_clean = _clean_questions(questions)
    poll = Poll.objects.create(
        title=cleaned["title"], description=(description or "").strip(), organisation=organisation,
        audience=audience, residents_only=residents_only, opens_at=opens_at, closes_at=closes_at,
        results_during=results_during, allow_change=allow_change, secret=secret, created_by=actor)
    if audience == Poll.Audience.MUNICIPALITIES:
        poll.municipalities.set(municipalities)
    _write_questions(poll, questions_clean)
    record_event(kind="participation.poll_created", actor=actor, subject=poll,
                 payload={"title": poll.title, "questions": len(questions_clean), "secret": secret})
    return poll


@transaction.atomic
def poll_update(*, actor, poll: Poll, questions: Iterable[Mapping[str, Any]] | None = None,
                **fields: Any) -> Poll:
    """Change a draft (its settings and, if given, all its questions); a published poll's rules never change."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    require(actor, "participation.change_poll", poll, message=_("You do not run this poll."))
    if poll.status != Poll.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed: the rules of a published poll stay as announced."))
    allowed = {"title", "description", "organisation", "audience", "municipalities", "residents_only", "opens_at",
               "closes_at", "results_during", "allow_change", "secret"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    municipalities = list(fields.pop("municipalities", poll.municipalities.all()))
    merged = {name: fields.get(name, getattr(poll, name)) for name in allowed - {"municipalities"}}
    cleaned = _clean_poll(actor=actor, title=merged["title"], opens_at=merged["opens_at"],
                          closes_at=merged["closes_at"], audience=merged["audience"], municipalities=municipalities,
                          organisation=merged["organisation"])
    questions_clean = _clean_questions(questions) if questions is not None else None
    merged["title"] = cleaned["title"]
    for name, value in merged.items():
        setattr(poll, name, value)
    poll.save()
    poll.municipalities.set(municipalities if poll.audience == Poll.Audience.MUNICIPALITIES else [])
    if questions_clean is not None:
        Option.objects.filter(question__poll=poll).delete()
        poll.questions.all().delete()
        _write_questions(poll, questions_clean)
    record_event(kind="participation.poll_updated", actor=actor, subject=poll,
                 payload={"fields": sorted(fields), "questions_replaced": questions_clean is not None})
    return poll


@transaction.atomic
def poll_publish(*, actor, poll: Poll) -> Poll:
    """Announce a draft: from now on its rules are fixed and it opens for votes at ``opens_at``."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    require(actor, "participation.change_poll", poll, message=_("You do not run this poll."))
    if poll.status != Poll.Status.DRAFT:
        raise ValidationError(_("This poll is already published."))
    if poll.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing time has passed: move it before publishing.")})
    if not poll.questions.exists():
        raise ValidationError({"questions": _("A poll needs at least one question.")})
    poll.status = Poll.Status.PUBLISHED
    poll.save(update_fields=["status", "updated_at"])
    record_event(kind="participation.poll_published", actor=actor, subject=poll,
                 payload={"opens_at": poll.opens_at, "closes_at": poll.closes_at})
    return poll


# --- residents: voting -----------------------------------------------------------------------------

def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [part for part in value.split(",") if part.strip()]
    return [value]


def clean_answers(poll: Poll, raw: Mapping[Any, Any]) -> list[dict[str, Any]]:
    """Check a vote against the poll's questions; return the answer rows or raise ``ValidationError``.

    ``raw`` maps a question id to: an option id (single choice), a list of option ids (multiple choice;
    for a ranked question, in order of preference, first the best), a number (scale), a text (free).
    """
    questions = list(poll.questions.all())
    known = {str(q.pk) for q in questions}
    errors: dict[str, Any] = {}
    if any(str(key) not in known for key in raw):
        errors["answers"] = _("The vote answers a question this poll does not have.")
    rows: list[dict[str, Any]] = []
    for question in questions:
        key = f"question_{question.pk}"
        value = raw.get(question.pk, raw.get(str(question.pk)))
        if value is None or value == "" or value == [] or value == ():
            if question.required:
                errors[key] = _("This question needs an answer.")
            continue
        options = {o.pk for o in question.options.all()}
        if question.kind == Question.Kind.SINGLE:
            choice = _as_int(value)
            if choice not in options:
                errors[key] = _("Choose one of the offered options.")
                continue
            rows.append({"question": question, "option_id": choice})
        elif question.kind in (Question.Kind.MULTIPLE, Question.Kind.RANKED):
            choices = [_as_int(v) for v in _as_list(value)]
            if any(c not in options for c in choices):
                errors[key] = _("Choose among the offered options.")
            elif len(set(choices)) != len(choices):
                errors[key] = _("An option is chosen more than once.")
            elif question.kind == Question.Kind.MULTIPLE and question.max_choices and \
                    len(choices) > question.max_choices:
                errors[key] = _("Choose at most %(n)s options.") % {"n": question.max_choices}
            else:
                for place, choice in enumerate(choices, start=1):
                    rows.append({"question": question, "option_id": choice,
                                 "rank": place if question.kind == Question.Kind.RANKED else None})
        elif question.kind == Question.Kind.SCALE:
            number = _as_int(value)
            if number is None or not question.scale_min <= number <= question.scale_max:
                errors[key] = _("Give a value from %(low)s to %(high)s.") % {"low": question.scale_min,
                                                                              "high": question.scale_max}
                continue
            rows.append({"question": question, "value": number})
        else:
            text = str(value).strip()
            if len(text) > MAX_FREE_TEXT:
                errors[key] = _("At most %(n)s characters.") % {"n": MAX_FREE_TEXT}
                continue
            if text:
                rows.append({"question": question, "text": text})
            elif question.required:
                errors[key] = _("This question needs an answer.")
    if errors:
        raise ValidationError(errors)
    return rows


def _write_answers(ballot: Ballot, rows: list[dict[str, Any]]) -> None:
    Answer.objects.bulk_create(
        Answer(ballot=ballot, question=row["question"], option_id=row.get("option_id"), rank=row.get("rank"),
               value=row.get("value"), text=row.get("text", "")) for row in rows)


def _already_voted() -> ValidationError:
    return ValidationError(_("You have already voted in this poll: one person, one vote."), code="already_voted")


def poll_vote(*, actor, poll: Poll, answers: Mapping[Any, Any]) -> Ballot:
    """Cast (or, where the poll allows, change) ``actor``'s vote; returns his ballot.

    One person, one vote is kept by the database: the "has voted" row is unique per (poll, user) and the
    ballot per (poll, voter key), both written in one transaction, so a second vote — even one sent at
    the same moment from another device — fails on the constraint and is refused with a clear error.
    The ballot counts in the voter's home municipality as it is at the moment of voting.
    """
    with transaction.atomic():
        poll_gate(poll.pk, exclusive=False)
        poll = (Poll.objects.prefetch_related("municipalities", "questions__options").get(pk=poll.pk))
        refusal = poll_refusal(user=actor, poll=poll)
        if refusal is not None:
            code, message = refusal
            if code in IDENTITY_REFUSALS:
                raise PermissionDenied(message)
            raise ValidationError(message, code=code)
        if not actor.has_perm("participation.vote_poll", poll):
            raise PermissionDenied(_("You may not vote."))
        rows = clean_answers(poll, answers)
        key = voter_key(poll, actor.pk)
        participation = Participation.objects.select_for_update().filter(poll=poll, user=actor).first()
        if participation is not None:
            if not poll.allow_change:
                raise _already_voted()
            ballot = Ballot.objects.select_for_update().get(poll=poll, voter_key=key)
            ballot.answers.all().delete()
            _write_answers(ballot, rows)
            ballot.revision += 1
            ballot.municipality_id = verified_municipality_id(actor)
            if not poll.secret:
                ballot.cast_at = timezone.now()
            ballot.save(update_fields=["revision", "municipality", "cast_at"])
            participation.changed_at = timezone.now()
            participation.save(update_fields=["changed_at"])
            record_event(kind="participation.poll_vote_changed", actor=actor, subject=poll, payload={})
            return ballot
        try:
            with transaction.atomic():
                Participation.objects.create(poll=poll, user=actor)
                ballot = Ballot.objects.create(
                    poll=poll, voter_key=key, voter=None if poll.secret else actor,
                    municipality_id=verified_municipality_id(actor), cast_at=None if poll.secret else timezone.now())
        except IntegrityError:
            raise _already_voted() from None
        _write_answers(ballot, rows)
        # the event says who took part, never how: a secret ballot's id is not in it
        record_event(kind="participation.poll_voted", actor=actor, subject=poll,
                     payload={} if poll.secret else {"ballot": str(ballot.pk)})
        return ballot


# --- closing ---------------------------------------------------------------------------------------

def _freeze(poll: Poll) -> PollResult:
    data = poll_tally(poll)
    count, checksum = ballots_checksum(poll)
    return PollResult.objects.create(poll=poll, ballots=count, checksum=checksum, data=data)


@transaction.atomic
def poll_close(*, actor, poll: Poll) -> Poll:
    """Close a poll now (its organiser) or at its closing time (``actor=None``: the scheduled job).

    Waits for the votes already in flight, then freezes the results with the checksum of the ballots.
    """
    poll_gate(poll.pk, exclusive=True)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if actor is not None:
        require(actor, "participation.change_poll", poll, message=_("You do not run this poll."))
    if poll.status == Poll.Status.CLOSED:
        raise ValidationError(_("This poll is already closed."))
    if poll.status != Poll.Status.PUBLISHED:
        raise ValidationError(_("A draft is not closed: it was never open. Delete or publish it."))
    now = timezone.now()
    if actor is None and poll.closes_at > now:
        raise ValidationError(_("The poll is not due to close yet."))
    poll.status = Poll.Status.CLOSED
    poll.closed_at = now
    poll.closes_at = min(poll.closes_at, now)
    if poll.opens_at >= poll.closes_at:
        poll.opens_at = poll.closes_at - dt.timedelta(microseconds=1)
    poll.save(update_fields=["status", "closed_at", "closes_at", "opens_at", "updated_at"])
    result = _freeze(poll)
    record_event(kind="participation.poll_closed", actor=actor, subject=poll,
                 payload={"ballots": result.ballots, "checksum": result.checksum, "scheduled": actor is None})
    return poll


def poll_close_due(*, now: dt.datetime | None = None) -> list[int]:
    """Close and freeze every published poll whose closing time has passed (the periodic job); their ids."""
    now = now or timezone.now()
    closed = []
    for pk in Poll.objects.filter(status=Poll.Status.PUBLISHED, closes_at__lte=now).values_list("pk", flat=True):
        try:
            poll_close(actor=None, poll=Poll(pk=pk))
        except ValidationError:
            continue  # closed by someone else meanwhile
        closed.append(pk)
    return closed


def poll_verify(*, poll: Poll) -> bool:
    """Whether a closed poll's stored ballots still give its frozen checksum (an audit anyone can repeat)."""
    result = PollResult.objects.filter(poll=poll).first()
    if result is None:
        return False
    count, checksum = ballots_checksum(poll)
    return (count, checksum) == (result.ballots, result.checksum)
