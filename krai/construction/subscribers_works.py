"""Who is told of a work's life, and the works part's registrations with the kernel (imported by ``subscribers``):

- ``construction.work_started``: its subscribers hear that it started;
- ``construction.work_slipped``: its subscribers hear that it slips (a planned start or end passed — the daily
  job records each such slip once — or the end moved later, with the reason);
- ``construction.work_completed``: its subscribers hear that it is done, and those who may rate it are asked to
  (a notification of its own kind, so one can switch either off).

The one who made the move is not told of it. Each ``notify`` gets the event, so a redelivered event tells nobody
twice. Also: the account menu's "works I follow", a link to a work shown as a card, the eraser and "download my
data" part (subscriptions and ratings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from krai.construction import policy
from krai.construction.models import Work, WorkRating, WorkSubscription
from krai.core.account_menu import register_account_link
from krai.core.cards import Card, register_card
from krai.core.events.registry import subscriber
from krai.core.notifications.services import notify
from krai.core.privacy import Erasure, register_eraser, register_exporter

register_account_link("construction-work-subscriptions", pgettext_lazy("account menu", "Works I follow"),
                      "construction:work_subscriptions", order=65)


def _work(event: Any) -> Work | None:
    pk = (event.payload or {}).get("work_id") or event.subject_id
    try:
        return Work.objects.select_related("responsible_body").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def _subscribers(work: Work, event: Any) -> list[Any]:
    rows = WorkSubscription.objects.filter(work=work).exclude(user_id=event.actor_id).select_related("user")
    return [row.user for row in rows]


def _tell(users: Iterable[Any], *, kind: str, title: Callable[[], str], body: Callable[[], str], url: str,
          event: Any) -> None:
    """Notify each person in his own language: the texts are made once per language."""
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in users:
        by_language[getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE].append(user)
    for language, people in by_language.items():
        with translation.override(language):
            notify(users=people, kind=kind, title=title(), body=body(), url=url, event=event)


def _day(text: Any) -> str:
    try:
        return date.fromisoformat(str(text)).strftime("%d.%m.%Y")
    except ValueError:
        return str(text or "")


@subscriber("construction.works.started", kinds=["construction.work_started"])
def work_started(event: Any) -> None:
    work = _work(event)
    if work is None:
        return
    start = (event.payload or {}).get("actual_start") or (work.actual_start and work.actual_start.isoformat())
    _tell(_subscribers(work, event), kind="construction.work_started",
          title=lambda: _("The work has started: “%(name)s”") % {"name": work.name},
          body=lambda: _("Started on %(start)s; planned to end on %(end)s.")
          % {"start": _day(start), "end": work.planned_end.strftime("%d.%m.%Y")},
          url=work.get_absolute_url(), event=event)


def _slip_text(payload: dict[str, Any]) -> str:
    reason = payload.get("reason")
    if reason == "start":
        return _("The start planned for %(date)s has passed, and the work has not started.") % {
            "date": _day(payload.get("planned"))}
    if reason == "end":
        return _("The end planned for %(date)s has passed, and the work is not completed.") % {
            "date": _day(payload.get("planned"))}
    text = _("The planned end moved from %(old)s to %(new)s.") % {"old": _day(payload.get("old_end")),
                                                                 "new": _day(payload.get("new_end"))}
    if payload.get("note"):
        text += "\n" + _("Why: %(reason)s") % {"reason": payload["note"]}
    return text


@subscriber("construction.works.slipped", kinds=["construction.work_slipped"])
def work_slipped(event: Any) -> None:
    work = _work(event)
    if work is None:
        return
    _tell(_subscribers(work, event), kind="construction.work_slipped",
          title=lambda: _("The work is behind its plan: “%(name)s”") % {"name": work.name},
          body=lambda: _slip_text(event.payload or {}), url=work.get_absolute_url(), event=event)


@subscriber("construction.works.completed", kinds=["construction.work_completed"])
def work_completed(event: Any) -> None:
    work = _work(event)
    if work is None:
        return
    people = _subscribers(work, event)
    end = (event.payload or {}).get("actual_end") or (work.actual_end and work.actual_end.isoformat())
    _tell(people, kind="construction.work_completed",
          title=lambda: _("The work is completed: “%(name)s”") % {"name": work.name},
          body=lambda: _("Completed on %(end)s (planned: %(planned)s).")
          % {"end": _day(end), "planned": work.planned_end.strftime("%d.%m.%Y")},
          url=work.get_absolute_url(), event=event)
    raters = [user for user in people if user.email_confirmed and not policy.manages_work(user, work)]
    _tell(raters, kind="construction.work_rating_invited",
          title=lambda: _("Rate the result: “%(name)s”") % {"name": work.name},
          body=lambda: _("Your rating goes into the responsible body's statistics."),
          url=work.get_absolute_url() + "#rate", event=event)


def work_card(user: Any, pk: int) -> Card | None:
    work = Work.objects.filter(pk=pk).first()
    if work is None:
        return None
    return Card(kind=gettext_lazy("Infrastructure work"), title=work.name,
                url=reverse("construction:work", args=[work.pk]), status=work.get_status_display(),
                summary=f"{work.address} · {work.planned_start:%d.%m.%Y} — {work.planned_end:%d.%m.%Y}")


def works_erase_person(erasure: Erasure) -> None:
    """His subscriptions go; his ratings stay in the works' figures (the score is no personal data), their
    comments scrubbed of his names, e-mail, phone and any personal data."""
    deleted, _rows = WorkSubscription.objects.filter(user_id=erasure.user_id).delete()
    scrubbed = 0
    for rating in WorkRating.objects.filter(user_id=erasure.user_id).exclude(comment=""):
        rating.comment = erasure.scrub(rating.comment)
        rating.save(update_fields=["comment"])
        erasure.touch(rating)
        scrubbed += 1
    erasure.count("construction.works", deleted + scrubbed)


def works_export(user: Any) -> dict[str, Any]:
    return {"subscriptions": [{"work": row.work_id, "name": row.work.name, "since": row.created_at.isoformat()}
                              for row in WorkSubscription.objects.filter(user=user).select_related("work")],
            "ratings": [{"work": row.work_id, "score": row.score, "comment": row.comment,
                         "at": row.updated_at.isoformat()} for row in WorkRating.objects.filter(user=user)]}


register_card("construction:work", work_card)
register_eraser("construction.works", works_erase_person)
register_exporter("construction.works", works_export)
