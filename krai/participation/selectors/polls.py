"""Reads of polls: lists, who may vote, the tally from the stored ballots, the ballots' checksum."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import BigIntegerField, Count, IntegerField, Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from krai.core.privacy import mask_personal
from krai.org.selectors import municipality_list, scope_for
from krai.participation.models import Answer, Ballot, Option, Participation, Poll, Question

NO_MUNICIPALITY = "none"


def voter_key(poll: Poll, user_id: int) -> str:
    """The voter's key in ``poll``: an HMAC of his id under a key derived from the server secret and the poll.

    Without the server's secret the key cannot be tied back to the person; with the poll's own salt, keys
    of the same person in two polls do not match either.
    """
    return salted_hmac(f"krai.participation.poll:{poll.pk}:{poll.key_salt}", str(user_id),
                       algorithm="sha256").hexdigest()


def _with_questions(qs: QuerySet[Poll]) -> QuerySet[Poll]:
    options = Prefetch("options", queryset=Option.objects.order_by("position", "id"))
    questions = Prefetch("questions", queryset=Question.objects.order_by("position", "id").prefetch_related(options))
    return qs.prefetch_related(questions, "municipalities")


def poll_list_public(*, state: str = "", municipality_id: int | None = None) -> QuerySet[Poll]:
    """Published and closed polls (anyone may see them), newest first; ``state`` is open, upcoming or closed."""
    now = timezone.now()
    qs = (Poll.objects.filter(status__in=[Poll.Status.PUBLISHED, Poll.Status.CLOSED])
          .select_related("organisation").prefetch_related("municipalities")
          .annotate(voters=Count("participations", distinct=True)))
    if state == "open":
        qs = qs.filter(status=Poll.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
    elif state == "upcoming":
        qs = qs.filter(status=Poll.Status.PUBLISHED, opens_at__gt=now)
    elif state == "closed":
        qs = qs.filter(Q(status=Poll.Status.CLOSED) | Q(closes_at__lte=now))
    if municipality_id:
        qs = qs.filter(Q(audience=Poll.Audience.REGION) | Q(municipalities=municipality_id)).distinct()
    return qs.order_by("-opens_at", "-id")


def poll_list_managed(*, user) -> QuerySet[Poll]:
    """Polls ``user`` runs: those of organisations in his scope and those he created."""
    if not user.has_perm("participation.add_poll"):
        return Poll.objects.none()
    condition = scope_for(user).q(organisation="organisation") | Q(created_by_id=user.pk)
    return (Poll.objects.filter(condition).select_related("organisation")
            .annotate(voters=Count("participations", distinct=True)).order_by("-created_at", "-id"))


def poll_get(*, user, pk: int) -> Poll:
    """A poll ``user`` may see: published or closed ones for anyone, drafts for those who run them; else Http404."""
    poll = _with_questions(Poll.objects.select_related("organisation", "result")).filter(pk=pk).first()
    if poll is None or (poll.status == Poll.Status.DRAFT and not user.has_perm("participation.change_poll", poll)):
        raise Http404(_("No such poll."))
    return poll


def verified_municipality_id(user) -> int | None:
    """The municipality ``user``'s residence is verified in; None when it is only claimed in his profile.

    A profile's municipality is whatever the resident typed: only a verified one (staff checked a
    document, or the identity provider asserted it) may open a municipality's poll or count as its vote.
    """
    if user is None or not getattr(user, "residence_verified", False):
        return None
    return getattr(user, "home_municipality_id", None)


def poll_refusal(*, user, poll: Poll, now=None) -> tuple[str, str] | None:
    """Why ``user`` may not vote in ``poll`` now, as (code, message); None when he may.

    The codes: ``not_signed_in``, ``not_confirmed``, ``blocked``, ``not_verified``, ``not_in_audience`` (who
    he is); ``not_open``, ``not_yet_open``, ``closed`` (when it is).
    """
    now = now or timezone.now()
    if poll.status == Poll.Status.CLOSED or (poll.status == Poll.Status.PUBLISHED and now >= poll.closes_at):
        return "closed", str(_("The poll closed on %(date)s: votes are no longer accepted.")
                             % {"date": timezone.localtime(poll.closes_at).strftime("%d.%m.%Y %H:%M")})
    if poll.status != Poll.Status.PUBLISHED:
        return "not_open", str(_("This poll is not open for voting."))
    if now < poll.opens_at:
        return "not_yet_open", str(_("The poll opens on %(date)s.")
                                   % {"date": timezone.localtime(poll.opens_at).strftime("%d.%m.%Y %H:%M")})
    if user is None or not user.is_authenticated:
        return "not_signed_in", str(_("Sign in to vote."))
    if not user.is_active:
        return "blocked", str(_("This account is blocked."))
    if not user.email_confirmed:
        return "not_confirmed", str(_("Confirm your e-mail address to vote: votes from unconfirmed accounts are "
                                      "not counted."))
    residence = verified_municipality_id(user)
    if (poll.residents_only or poll.audience == Poll.Audience.MUNICIPALITIES) and residence is None:
        if poll.audience == Poll.Audience.MUNICIPALITIES:
            names = ", ".join(sorted(m.name for m in poll.municipalities.all()))
            return "not_verified", str(_("This poll is for residents of %(names)s whose residence is verified: "
                                         "ask for the verification in your profile.") % {"names": names})
        return "not_verified", str(_("This poll is for residents with a verified residence only."))
    if poll.audience == Poll.Audience.MUNICIPALITIES:
        allowed = {m.pk for m in poll.municipalities.all()}
        if residence not in allowed:
            names = ", ".join(sorted(m.name for m in poll.municipalities.all()))
            return "not_in_audience", str(_("This poll is for residents of %(names)s only.") % {"names": names})
    return None


def has_voted(*, user, poll: Poll) -> bool:
    return bool(user and user.is_authenticated and Participation.objects.filter(poll=poll, user=user).exists())


def own_ballot(*, user, poll: Poll) -> dict[int, Any]:
    """The user's own current answers ({question id: value as the vote form takes it}), for changing a vote."""
    if not (user and user.is_authenticated):
        return {}
    ballot = Ballot.objects.filter(poll=poll, voter_key=voter_key(poll, user.pk)).first()
    if ballot is None:
        return {}
    kinds = {q.pk: q.kind for q in poll.questions.all()}
    answers: dict[int, Any] = {}
    for answer in ballot.answers.order_by("question_id", "rank", "option_id"):
        kind = kinds.get(answer.question_id)
        if kind == Question.Kind.SINGLE:
            answers[answer.question_id] = answer.option_id
        elif kind in (Question.Kind.MULTIPLE, Question.Kind.RANKED):
            answers.setdefault(answer.question_id, []).append(answer.option_id)
        elif kind == Question.Kind.SCALE:
            answers[answer.question_id] = answer.value
        else:
            answers[answer.question_id] = answer.text
    return answers


# --- counting --------------------------------------------------------------------------------------

def poll_tally(poll: Poll) -> dict[str, Any]:
    """Count ``poll`` from its stored ballots in ONE aggregate query, per municipality and overall.

    The query groups the answers by (question, option, rank, value, voter's municipality) and, joined
    by UNION ALL, the ballots by municipality. Ranked questions score Borda points: with k options the
    first place gets k points, the last 1. The result is plain JSON (string keys), the form it is frozen in.
    """
    answers = (Answer.objects.filter(ballot__poll=poll).order_by()
               .values_list("question_id", "option_id", "rank", "value", "ballot__municipality_id")
               .annotate(n=Count("pk")))
    ballots = (Ballot.objects.filter(poll=poll).order_by()
               .annotate(q=Value(None, output_field=BigIntegerField()), o=Value(None, output_field=BigIntegerField()),
                         r=Value(None, output_field=IntegerField()), v=Value(None, output_field=IntegerField()))
               .values_list("q", "o", "r", "v", "municipality_id")
               .annotate(n=Count("pk")))
    questions = list(poll.questions.all())
    option_counts = {q.pk: len(q.options.all()) if q.kind == Question.Kind.RANKED else 0 for q in questions}
    kinds = {q.pk: q.kind for q in questions}
    data: dict[str, Any] = {"ballots": 0, "by_municipality": {}, "questions": {}}
    by_muni: dict[str, int] = defaultdict(int)
    per_question: dict[str, dict[str, Any]] = {
        str(q.pk): {"kind": q.kind, "answers": 0, "options": {}, "values": {}} for q in questions}
    for question_id, option_id, rank, value, municipality_id, n in answers.union(ballots, all=True):
        muni = str(municipality_id) if municipality_id else NO_MUNICIPALITY
        if question_id is None:
            data["ballots"] += n
            by_muni[muni] += n
            continue
        slot = per_question.get(str(question_id))
        if slot is None:
            continue
        if option_id is not None:
            cell = slot["options"].setdefault(str(option_id), {"count": 0, "by_municipality": {}, "points": 0,
                                                                "first": 0})
            if kinds[question_id] == Question.Kind.RANKED and rank:
                cell["points"] += n * max(option_counts[question_id] - rank + 1, 0)
                if rank == 1:
                    cell["first"] += n
                    cell["by_municipality"][muni] = cell["by_municipality"].get(muni, 0) + n
                    cell["count"] += n
                    slot["answers"] += n
                cell.setdefault("points_by_municipality", {})
                cell["points_by_municipality"][muni] = (cell["points_by_municipality"].get(muni, 0)
                                                        + n * max(option_counts[question_id] - rank + 1, 0))
            else:
                cell["count"] += n
                cell["by_municipality"][muni] = cell["by_municipality"].get(muni, 0) + n
                slot["answers"] += n
        elif value is not None:
            cell = slot["values"].setdefault(str(value), {"count": 0, "by_municipality": {}})
            cell["count"] += n
            cell["by_municipality"][muni] = cell["by_municipality"].get(muni, 0) + n
            slot["answers"] += n
        else:
            slot["answers"] += n
            slot.setdefault("answers_by_municipality", {})
            slot["answers_by_municipality"][muni] = slot["answers_by_municipality"].get(muni, 0) + n
    data["by_municipality"] = dict(sorted(by_muni.items()))
    data["questions"] = per_question
    return data


def ballot_lines(poll: Poll) -> Iterator[str]:
    """The poll's ballots as canonical lines, the input of its checksum and of the public audit export.

    One line per answer, in the order (ballot id, question, option, rank):
    ``ballot-id|municipality|question|option|rank|value|sha256(text)`` (empty fields for what is absent).
    """
    rows = (Answer.objects.filter(ballot__poll=poll)
            .order_by("ballot_id", "question_id", "option_id", "rank")
            .values_list("ballot_id", "ballot__municipality_id", "question_id", "option_id", "rank", "value", "text"))
    for ballot_id, municipality_id, question_id, option_id, rank, value, text in rows.iterator(chunk_size=5000):
        digest = hashlib.sha256(text.encode()).hexdigest() if text else ""
        yield (f"{ballot_id.hex}|{municipality_id or ''}|{question_id}|{option_id or ''}|{rank or ''}|"
               f"{'' if value is None else value}|{digest}\n")


def ballots_checksum(poll: Poll) -> tuple[int, str]:
    """(number of ballots, SHA-256 of the canonical ballot lines) — what a frozen result is checked against."""
    digest = hashlib.sha256()
    for line in ballot_lines(poll):
        digest.update(line.encode())
    return Ballot.objects.filter(poll=poll).count(), digest.hexdigest()


def results_visible(*, user, poll: Poll, now=None) -> bool:
    """Results show once the poll has closed, during voting if the poll says so, and always to its organisers."""
    if poll.status == Poll.Status.CLOSED:
        return True
    if user is not None and user.is_authenticated and user.has_perm("participation.change_poll", poll):
        return True
    return poll.status == Poll.Status.PUBLISHED and poll.results_during and poll.has_started(now)


def poll_results(*, user, poll: Poll) -> dict[str, Any] | None:
    """The results ``user`` may see: the frozen ones of a closed poll, a live tally otherwise, or None."""
    if not results_visible(user=user, poll=poll):
        return None
    result = getattr(poll, "result", None) if poll.status == Poll.Status.CLOSED else None
    data = result.data if result is not None else poll_tally(poll)
    return {"frozen": result is not None, "checksum": result.checksum if result else "",
            "frozen_at": result.frozen_at if result else None, "data": data}


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def results_table(poll: Poll, data: dict[str, Any], *, municipality: str = "") -> list[dict[str, Any]]:
    """The tally as rows for a page, a chart or an export: overall, or for one municipality (its id as text)."""
    ballots = data["by_municipality"].get(municipality, 0) if municipality else data["ballots"]
    table = []
    for question in poll.questions.all():
        slot = data["questions"].get(str(question.pk), {"options": {}, "values": {}, "answers": 0})
        rows = []
        if question.has_options:
            for option in question.options.all():
                cell = slot["options"].get(str(option.pk), {})
                if municipality:
                    count = cell.get("by_municipality", {}).get(municipality, 0)
                    points = cell.get("points_by_municipality", {}).get(municipality, 0)
                else:
                    count, points = cell.get("count", 0), cell.get("points", 0)
                rows.append({"id": option.pk, "label": option.text, "count": count, "share": _share(count, ballots),
                             "points": points})
            if question.kind == Question.Kind.RANKED:
                rows.sort(key=lambda row: (-row["points"], row["label"]))
        elif question.kind == Question.Kind.SCALE:
            total = weighted = 0
            for value in question.scale_values:
                cell = slot["values"].get(str(value), {})
                count = cell.get("by_municipality", {}).get(municipality, 0) if municipality else cell.get("count", 0)
                total += count
                weighted += count * value
                rows.append({"id": value, "label": str(value), "count": count, "share": 0.0, "points": 0})
            for row in rows:
                row["share"] = _share(row["count"], total)
            slot = {**slot, "mean": round(weighted / total, 2) if total else None}
        answered = (slot.get("answers_by_municipality", {}).get(municipality, 0)
                    if municipality and question.kind == Question.Kind.FREE else slot.get("answers", 0))
        table.append({"question": question, "kind": question.kind, "rows": rows, "ballots": ballots,
                      "answered": answered, "mean": slot.get("mean")})
    return table


def results_municipalities(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(id as text, name, ballots) of every municipality that cast ballots, by name."""
    names = {str(m.pk): m.name for m in municipality_list(include_inactive=True)}
    rows = [(key, names.get(key, str(_("no municipality given"))), n) for key, n in data["by_municipality"].items()]
    return sorted(rows, key=lambda row: row[1])


def free_answers(*, user, poll: Poll, question_id: int, limit: int = 200) -> list[str]:
    """The texts of a free-answer question, for those who run the poll (no ballot ids, no order of voting).

    Masked (``krai.core.privacy``): a ballot is secret, and a phone or a name in it would tell whose it is.
    """
    if not user.has_perm("participation.change_poll", poll):
        return []
    return [mask_personal(text) for text in Answer.objects.filter(ballot__poll=poll, question_id=question_id)
            .exclude(text="").order_by("text").values_list("text", flat=True)[:limit]]
