"""Poll pages for residents: the list, a poll with its ballot (vote or change the vote), results with charts, CSV."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.core import csvsafe
from krai.participation import services
from krai.participation.models import Poll, Question
from krai.participation.selectors import polls as selectors
from krai.participation.views._common import int_or_none, public_write, refusal

STATES = ("open", "upcoming", "closed")


def poll_state(poll: Poll, now=None) -> str:
    now = now or timezone.now()
    if poll.status == Poll.Status.DRAFT:
        return "draft"
    if poll.status == Poll.Status.CLOSED or now >= poll.closes_at:
        return "closed"
    return "open" if now >= poll.opens_at else "upcoming"


@require_GET
def poll_list(request):
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    page = Paginator(selectors.poll_list_public(state=state), 20).get_page(request.GET.get("page"))
    for poll in page.object_list:
        poll.state = poll_state(poll)
    return render(request, "participation/poll_list.html", {"page": page, "state": state, "states": STATES})


class RankedAsEntered(list):
    """A ranked answer the form refused: the options in order, and the places as the resident typed them."""

    places: dict[int, int]


def _posted_answers(poll: Poll, post) -> tuple[dict[int, Any], dict[str, list[str]]]:
    """The ballot as the vote service takes it, from the form; plus errors the form itself can see."""
    answers: dict[int, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in poll.questions.all():
        name = f"q{question.pk}"
        if question.kind == Question.Kind.MULTIPLE:
            answers[question.pk] = post.getlist(name)
        elif question.kind == Question.Kind.RANKED:
            places: list[tuple[int, int]] = []
            for option in question.options.all():
                raw = (post.get(f"{name}_o{option.pk}") or "").strip()
                if not raw:
                    continue
                place = int_or_none(raw)
                if place is None or place < 1:
                    errors[f"question_{question.pk}"] = [_("A place is a number from 1 up.")]
                    continue
                places.append((place, option.pk))
            if len({place for place, _pk in places}) != len(places):
                errors[f"question_{question.pk}"] = [_("Give each place to one option only.")]
            if f"question_{question.pk}" in errors:
                # shown again exactly as entered (two options on one place included), not renumbered
                answers[question.pk] = RankedAsEntered(pk for _place, pk in sorted(places))
                answers[question.pk].places = {pk: place for place, pk in places}
            else:
                answers[question.pk] = [pk for _place, pk in sorted(places)]
        else:
            answers[question.pk] = post.get(name, "")
    return answers, errors


def _ballot_form(poll: Poll, values: dict[int, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each question with its options marked as the resident chose them (his vote, or what he just sent)."""
    form = []
    for question in poll.questions.all():
        value = values.get(question.pk)
        chosen = value if isinstance(value, list) else [value]
        chosen_ids = {int_or_none(v) for v in chosen}
        places = {int_or_none(pk): n for n, pk in enumerate(chosen, start=1)} \
            if question.kind == Question.Kind.RANKED else {}
        if isinstance(value, RankedAsEntered):
            places = dict(value.places)
        options = [{"option": option, "checked": option.pk in chosen_ids, "place": places.get(option.pk, "")}
                   for option in question.options.all()]
        form.append({"question": question, "options": options, "value": "" if value is None else value,
                     "value_int": int_or_none(value) if not isinstance(value, list) else None,
                     "places": range(1, len(options) + 1),
                     "errors": errors.get(f"question_{question.pk}", [])})
    return form


def _answers_as_text(poll: Poll, answers: dict[int, Any]) -> list[dict[str, Any]]:
    """The resident's own ballot as he would read it: each question with the answers he gave, in order."""
    rows = []
    for question in poll.questions.all():
        value = answers.get(question.pk)
        labels = {option.pk: option.text for option in question.options.all()}
        if value in (None, "", []):
            shown: list[str] = []
        elif question.kind == Question.Kind.RANKED:
            shown = [f"{n}. {labels.get(pk, '')}" for n, pk in enumerate(value, start=1)]
        elif question.has_options:
            shown = [labels.get(pk, "") for pk in (value if isinstance(value, list) else [value])]
        else:
            shown = [str(value)]
        rows.append({"question": question, "answer": shown})
    return rows


def _detail(request, poll: Poll, *, values: dict[int, Any] | None = None, errors: dict[str, list[str]] | None = None,
            general: list[str] | None = None, status: int = 200):
    user = request.user
    voted = selectors.has_voted(user=user, poll=poll)
    why_not = selectors.poll_refusal(user=user, poll=poll)
    can_vote = why_not is None and (not voted or poll.allow_change)
    mine = selectors.own_ballot(user=user, poll=poll) if voted else {}
    if values is None:
        values = mine if poll.allow_change else {}
    results_visible = selectors.results_visible(user=user, poll=poll)
    results = _results_context(request, poll) if voted and results_visible else None
    return render(request, "participation/poll_detail.html", {
        "my_answers": _answers_as_text(poll, mine) if voted else [],
        "results_table": results["table"] if results else None,
        "poll": poll, "state": poll_state(poll), "voted": voted, "can_vote": can_vote,
        "refusal": why_not[1] if why_not else "", "refusal_code": why_not[0] if why_not else "",
        "form": _ballot_form(poll, values, errors or {}), "general_errors": general or [],
        "results_visible": results_visible,
        "municipalities": list(poll.municipalities.all()),
    }, status=status)


@require_GET
def poll_detail(request, pk: int):
    return _detail(request, selectors.poll_get(user=request.user, pk=pk))


@require_POST
@public_write
def poll_vote(request, pk: int):
    poll = selectors.poll_get(user=request.user, pk=pk)
    answers, errors = _posted_answers(poll, request.POST)
    values = dict(answers)
    if errors:
        return _detail(request, poll, values=values, errors=errors, status=400)
    voted_before = selectors.has_voted(user=request.user, poll=poll)
    try:
        services.poll_vote(actor=request.user, poll=poll, answers=answers)
    except (PermissionDenied, ValidationError) as exc:
        general, fields, status = refusal(exc)
        if fields and not general:
            general = [_("The vote is not accepted: correct the answers marked below.")]
        return _detail(request, poll, values=values, errors=fields, general=general, status=status)
    messages.success(request, _("Your changed vote is counted.") if voted_before
                     else _("Your vote is counted. Thank you!"))
    return redirect("participation:poll", pk=poll.pk)


def _results_context(request, poll: Poll) -> dict[str, Any] | None:
    results = selectors.poll_results(user=request.user, poll=poll)
    if results is None:
        return None
    data = results["data"]
    municipalities = selectors.results_municipalities(data)
    known = {key for key, _name, _n in municipalities}
    municipality = request.GET.get("municipality", "")
    municipality = municipality if municipality in known else ""
    table = selectors.results_table(poll, data, municipality=municipality)
    charts = []
    by_muni = {key: selectors.results_table(poll, data, municipality=key) for key, _name, _n in municipalities}
    for index, block in enumerate(table):
        if not block["rows"]:
            continue
        charts.append({
            "id": f"chart-q{block['question'].pk}", "title": block["question"].text,
            "labels": [row["label"] for row in block["rows"]],
            "values": [row["points"] if block["kind"] == Question.Kind.RANKED else row["count"]
                       for row in block["rows"]],
            "municipalities": [name for _key, name, _n in municipalities],
            "series": [{"name": row["label"],
                        "data": [next((r["share"] for r in by_muni[key][index]["rows"] if r["id"] == row["id"]), 0)
                                 for key, _name, _n in municipalities]}
                       for row in block["rows"]],
        })
    return {"results": results, "data": data, "table": table, "municipalities": municipalities,
            "municipality": municipality, "charts": charts,
            "municipality_name": next((name for key, name, _n in municipalities if key == municipality), "")}


@require_GET
def poll_results(request, pk: int):
    poll = selectors.poll_get(user=request.user, pk=pk)
    context = _results_context(request, poll)
    return render(request, "participation/poll_results.html",
                  {"poll": poll, "state": poll_state(poll), "hidden": context is None, **(context or {})})


@require_GET
def poll_results_csv(request, pk: int):
    """The results as CSV: one row per question, answer and municipality (and the region as a whole)."""
    poll = selectors.poll_get(user=request.user, pk=pk)
    results = selectors.poll_results(user=request.user, poll=poll)
    if results is None:
        return render(request, "participation/poll_results.html",
                      {"poll": poll, "state": poll_state(poll), "hidden": True}, status=403)
    data = results["data"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-results.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csvsafe.writer(response)  # text that a spreadsheet would run as a formula leaves as text
    writer.writerow(["question", "kind", "answer", "municipality_id", "municipality", "ballots", "count", "share",
                     "points"])
    areas = [("", _("the whole region"))] + [(key, name) for key, name, _n in selectors.results_municipalities(data)]
    for key, name in areas:
        for block in selectors.results_table(poll, data, municipality=key):
            rows = block["rows"] or [{"label": "", "count": block["answered"], "share": "", "points": ""}]
            for row in rows:
                writer.writerow([block["question"].text, block["kind"], row["label"], key, name, block["ballots"],
                                 row["count"], row["share"], row["points"]])
    return response
