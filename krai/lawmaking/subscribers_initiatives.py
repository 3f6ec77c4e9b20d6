"""The initiatives part's reactions to its events: the initiator is told that his concept was approved or refused
and that his initiative was stopped (with the reason), and a newly named editor is told. Stage changes in general
are told to the initiator and subscribers by the discussion part (``subscribers_discussion``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from krai.core.events.registry import subscriber
from krai.core.notifications.services import notify
from krai.lawmaking.models import Initiative

TOLD = ["lawmaking.initiative_approved", "lawmaking.initiative_refused", "lawmaking.initiative_stopped",
        "lawmaking.editor_set"]


def _title(kind: str, initiative: Initiative) -> str:
    titles = {
        "lawmaking.initiative_approved": _("Your initiative “%(title)s” is published for discussion"),
        "lawmaking.initiative_refused": _("Your initiative “%(title)s” was not published"),
        "lawmaking.initiative_stopped": _("Your initiative “%(title)s” was stopped"),
        "lawmaking.editor_set": _("You are the editor of the draft “%(title)s”"),
    }
    return titles[kind] % {"title": initiative.title[:200]}


@subscriber("lawmaking.initiatives.notify", kinds=TOLD)
def tell_initiator(event: Any) -> None:
    initiative = Initiative.objects.select_related("initiator", "editor").filter(pk=event.subject_id).first()
    if initiative is None:
        return
    payload = event.payload or {}
    if event.kind == "lawmaking.editor_set":
        person = initiative.editor if initiative.editor_id == payload.get("editor_id") else None
    else:
        person = initiative.initiator
    if person is None or (event.actor_id is not None and event.actor_id == person.pk):
        return  # nobody to tell, or he did it himself
    body = str(payload.get("reason") or payload.get("note") or "")
    with override(getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE):
        notify(users=[person], kind=event.kind, title=_title(event.kind, initiative), body=body,
               url=initiative.get_absolute_url(), event=event)
