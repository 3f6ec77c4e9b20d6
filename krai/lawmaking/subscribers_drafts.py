"""The draft part's reactions to its events: an amendment's author is told the editor's decision (with the
reason), and the draft's editor is told of a new amendment waiting for him."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from krai.core.events.registry import subscriber
from krai.core.notifications.services import notify
from krai.lawmaking.models import Amendment

DECIDED = ["lawmaking.amendment_accepted", "lawmaking.amendment_rejected"]


def _language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


@subscriber("lawmaking.drafts.decided", kinds=DECIDED)
def tell_author(event: Any) -> None:
    amendment = (Amendment.objects.select_related("author", "initiative", "applied_in")
                 .filter(pk=(event.payload or {}).get("amendment_id")).first())
    if amendment is None or amendment.author is None:
        return
    url = reverse("lawmaking:amendments", args=[amendment.initiative_id]) + f"#a-{amendment.pk}"
    with override(_language(amendment.author)):
        if event.kind == "lawmaking.amendment_accepted":
            title = _("Your amendment to “%(title)s” was accepted") % {"title": amendment.initiative.title[:200]}
            body = _("It is applied in version %(n)d of the draft.") % {
                "n": amendment.applied_in.number if amendment.applied_in else 0}
            if amendment.decision_reason:
                body = f"{body}\n{amendment.decision_reason}"
        else:
            title = _("Your amendment to “%(title)s” was rejected") % {"title": amendment.initiative.title[:200]}
            body = _("The editor's reason: %(reason)s") % {"reason": amendment.decision_reason}
        notify(users=[amendment.author], kind=event.kind, title=title, body=body, url=url, event=event)


@subscriber("lawmaking.drafts.proposed", kinds=["lawmaking.amendment_proposed"])
def tell_editor(event: Any) -> None:
    amendment = (Amendment.objects.select_related("initiative__editor", "initiative__initiator")
                 .filter(pk=(event.payload or {}).get("amendment_id")).first())
    if amendment is None:
        return
    editor = amendment.initiative.editor or amendment.initiative.initiator
    if editor is None or editor.pk == amendment.author_id:
        return
    url = reverse("lawmaking:amendments", args=[amendment.initiative_id]) + "?status=pending"
    with override(_language(editor)):
        title = _("A new amendment to “%(title)s” awaits your decision") % {
            "title": amendment.initiative.title[:200]}
        notify(users=[editor], kind=event.kind, title=title, url=url, event=event)
