"""Who is told of the discussion's part of an initiative's life (imported by ``subscribers``):

- ``lawmaking.stage_changed``: the initiative's subscribers and its initiator hear of the new stage and its
  planned end (not of the reaction given: ``subscribers_expertise`` tells every participant of it);
- ``lawmaking.discussion_ended``: the initiator hears why his initiative stopped (the support threshold missed);
- ``lawmaking.initiative_approved`` (published): subscribers of matching filters hear of the new initiative.

Each ``notify`` gets the event, so a redelivered event tells nobody twice. Also the account menu's link to "my
subscriptions".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from krai.core.account_menu import register_account_link
from krai.core.events.registry import subscriber
from krai.core.notifications.services import notify
from krai.lawmaking.models import Initiative, Stage, Subscription

# "my subscriptions" is reached from the account menu, like the community's follows
register_account_link("lawmaking-subscriptions", pgettext_lazy("account menu", "Law-making subscriptions"),
                      "lawmaking:subscriptions", order=60)


def _initiative(event: Any) -> Initiative | None:
    pk = (event.payload or {}).get("initiative_id") or event.subject_id
    try:
        return Initiative.objects.select_related("initiator").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def _tell(users: Iterable[Any], *, kind: str, title: Callable[[], str], body: Callable[[], str], url: str,
          event: Any) -> None:
    """Notify each person in his own language: the texts are made once per language."""
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in users:
        by_language[getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE].append(user)
    for language, people in by_language.items():
        with translation.override(language):
            notify(users=people, kind=kind, title=title(), body=body(), url=url, event=event)


def _subscribers(initiative: Initiative) -> list[Any]:
    return [row.user for row in Subscription.objects.filter(initiative=initiative).select_related("user")]


@subscriber("lawmaking.discussion.stage_changed", kinds=["lawmaking.stage_changed"])
def stage_changed(event: Any) -> None:
    initiative = _initiative(event)
    if initiative is None or initiative.published_at is None:
        return  # a concept refused at moderation was never public: nobody follows it
    payload = event.payload or {}
    stage, previous = payload.get("stage") or initiative.stage, payload.get("previous") or ""
    if stage == Stage.CLOSED:
        return  # the reaction's part tells everyone who took part, subscribers and initiator included, with it
    people = {user.pk: user for user in _subscribers(initiative)}
    # The concept's part (``subscribers_initiatives``) tells the initiator itself of the approval (concept →
    # discussion) and of a stop by staff (with the reason); the discussion's end tells him through
    # ``lawmaking.discussion_ended`` below. So for those moves only subscribers hear from here — one
    # notification to the initiator per move, not two.
    if initiative.initiator is not None and stage != Stage.STOPPED and previous != Stage.CONCEPT:
        people[initiative.initiator.pk] = initiative.initiator
    people.pop(event.actor_id, None)  # the one who moved it knows
    if not people:
        return
    due = payload.get("due") or ""
    labels = dict(Stage.choices)

    def title() -> str:
        return _("“%(title)s”: now at the stage “%(stage)s”") % {"title": initiative.title,
                                                                  "stage": labels.get(stage, stage)}

    def body() -> str:
        lines = []
        if due:
            lines.append(_("Planned to end on %(date)s.") % {"date": ".".join(reversed(due.split("-")))})
        if stage == Stage.STOPPED and initiative.stopped_reason:
            lines.append(_("Why it stopped: %(reason)s") % {"reason": initiative.stopped_reason})
        return "\n".join(lines)

    _tell(people.values(), kind="lawmaking.stage_changed", title=title, body=body,
          url=initiative.get_absolute_url(), event=event)


@subscriber("lawmaking.discussion.ended", kinds=["lawmaking.discussion_ended"])
def discussion_ended(event: Any) -> None:
    initiative = _initiative(event)
    if initiative is None or initiative.initiator is None:
        return
    reason = str((event.payload or {}).get("reason") or initiative.stopped_reason)

    def title() -> str:
        return _("Your initiative “%(title)s” is stopped: the support threshold was not reached") % {
            "title": initiative.title}

    _tell([initiative.initiator], kind="lawmaking.discussion_ended", title=title, body=lambda: reason,
          url=initiative.get_absolute_url(), event=event)


def filter_subscribers(initiative: Initiative) -> list[Any]:
    """People whose filters match ``initiative`` (an empty part of a filter matches anything)."""
    fields = list(initiative.fields.values_list("pk", flat=True))
    rows = (Subscription.objects.filter(initiative__isnull=True)
            .filter(Q(level="") | Q(level=initiative.level))
            .filter(Q(municipality__isnull=True) | Q(municipality_id=initiative.municipality_id))
            .filter(Q(field__isnull=True) | Q(field_id__in=fields))
            .select_related("user"))
    return list({row.user_id: row.user for row in rows}.values())


@subscriber("lawmaking.discussion.new_initiative", kinds=["lawmaking.initiative_approved"])
def new_initiative(event: Any) -> None:
    initiative = _initiative(event)
    if initiative is None or initiative.published_at is None:
        return
    people = [user for user in filter_subscribers(initiative) if user.pk != initiative.initiator_id]
    if not people:
        return

    def title() -> str:
        return _("New law-making initiative: “%(title)s”") % {"title": initiative.title}

    def body() -> str:
        if initiative.stage_due:
            return _("Discussed until %(date)s.") % {"date": initiative.stage_due.strftime("%d.%m.%Y")}
        return ""

    _tell(people, kind="lawmaking.new_initiative", title=title, body=body, url=initiative.get_absolute_url(),
          event=event)
