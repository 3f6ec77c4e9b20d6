"""What the problems area listens to: the control engine's assignments of kind "problem", and its own events
to tell authors, endorsers and bodies (in-app, e-mail and push to their phones, by each person's preference) —
the answer, its deadline when the report is published and whenever it is moved, a rejection; and its part of
erasing a person, registered with the kernel (``krai.core.privacy``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from krai.core.events.registry import subscriber
from krai.core.notifications.preferences import register_category
from krai.core.notifications.services import notify
from krai.core.privacy import register_eraser
from krai.problems import engine
from krai.problems.models import Problem, Subscription
from krai.problems.services import on_control_event, problems_erase_person

register_category("problems", gettext_lazy("Problems"))
register_eraser("problems", problems_erase_person)

CONTROL_KINDS = ["control.opened", "control.delegated", "control.reported", "control.accepted", "control.returned",
                 "control.reassigned", "control.extended", "control.cancelled", "control.overdue"]


@subscriber("problems.control", kinds=CONTROL_KINDS)
def control_changed(event) -> None:
    if (event.payload or {}).get("kind") == "problem":
        on_control_event(event=event)


_TOLD = {
    "problems.published": "author",
    "problems.rejected": "author",
    "problems.answered": "everyone",
    "problems.reassigned": "author",
    "problems.reopened": "everyone",
    "problems.merged": "author",
    "problems.returned": "author",
}


def _title(kind: str, problem: Problem) -> str:
    number = problem.pk
    titles = {
        "problems.published": _("Your report №%(n)s is published and sent to %(org)s"),
        "problems.rejected": _("Your report №%(n)s was not published"),
        "problems.answered": _("Problem №%(n)s has an official answer"),
        "problems.reassigned": _("Problem №%(n)s was passed to %(org)s"),
        "problems.reopened": _("Problem №%(n)s was reopened"),
        "problems.merged": _("Your report №%(n)s was merged into another one"),
        "problems.returned": _("The answer to problem №%(n)s was returned to the body for rework"),
    }
    return titles[kind] % {"n": number, "org": str(problem.organisation or "")}


@subscriber("problems.notify", kinds=list(_TOLD))
def tell_people(event) -> None:
    problem = Problem.objects.select_related("organisation", "author").filter(pk=event.subject_id).first()
    if problem is None or problem.author is None:
        return
    people = [problem.author]
    if _TOLD[event.kind] == "everyone":
        people += [s.user for s in Subscription.objects.filter(problem=problem).select_related("user")]
    body = problem.moderation_reason if event.kind == "problems.rejected" else problem.answer_text
    if event.kind == "problems.returned":
        body = str((event.payload or {}).get("reason") or "")
    if event.kind == "problems.published" and problem.due_date:
        body = _("The answer is due by %(date)s.") % {"date": problem.due_date.strftime("%d.%m.%Y")}
    if event.kind == "problems.answered" and problem.status == Problem.Status.PLANNED and problem.planned_date:
        body = "\n".join(part for part in (
            body, _("Planned for %(date)s.") % {"date": problem.planned_date.strftime("%d.%m.%Y")},
            _("Programme: %(name)s.") % {"name": problem.programme} if problem.programme else "") if part)
    with override(getattr(problem.author, "preferred_language", "") or settings.LANGUAGE_CODE):
        notify(users=people, kind=event.kind, title=_title(event.kind, problem), body=body or "",
               url=f"/problems/{problem.pk}/", event=event)


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@subscriber("problems.deadline", kinds=["control.extended"])
def tell_deadline_moved(event: Any) -> None:
    """The author learns that the answer to his report is now due later (the body was given more time)."""
    payload = event.payload or {}
    if payload.get("kind") != engine.KIND:
        return
    deadline, previous = _date(payload.get("deadline")), _date(payload.get("previous_deadline"))
    problem = Problem.objects.select_related("author").filter(pk=payload.get("subject_id")).first()
    if (deadline is None or deadline == previous or problem is None
            or problem.author is None or problem.status not in Problem.AWAITING_REACTION):
        return
    assignment = engine.assignment_for(problem)
    if assignment is None or str(assignment.pk) != str(payload.get("assignment_id")):
        return  # a delegated part's deadline, or an assignment of before a reopening
    with override(getattr(problem.author, "preferred_language", "") or settings.LANGUAGE_CODE):
        notify(users=[problem.author], kind="problems.deadline_extended",
               title=_("The answer to your report №%(n)s is now due by %(date)s")
               % {"n": problem.pk, "date": deadline.strftime("%d.%m.%Y")},
               body=_("It was due by %(date)s.") % {"date": previous.strftime("%d.%m.%Y")} if previous else "",
               url=f"/problems/{problem.pk}/", event=event)


from krai.problems import cards  # noqa: E402,F401 — links to its objects render as cards
