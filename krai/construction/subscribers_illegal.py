"""The illegal part's reactions to events and what it registers with the kernel: a link to an entry shows as a
card (``krai.core.cards``); the resident whose verification request found the construction is told of each
measure taken on it (the registry is public, so the message says nothing the page does not)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from krai.construction.models import IllegalConstruction, Measure
from krai.construction.selectors.illegal import illegal_for
from krai.core.cards import Card, register_card
from krai.core.events.registry import subscriber
from krai.core.notifications.services import notify


def illegal_card(user: Any, pk: Any = None, **kwargs: Any) -> Card:
    entry = illegal_for(user, pk if pk is not None else next(iter(kwargs.values()), None))
    where = entry.municipality.name if entry.municipality_id else ""
    return Card(kind=gettext_lazy("Illegal construction"), title=entry.address, url=entry.get_absolute_url(),
                status=str(entry.get_status_display()),
                summary=Truncator(" · ".join(p for p in (where, f"{entry.found_on:%d.%m.%Y}") if p)).chars(200))


register_card("construction:illegal", illegal_card)


def _language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


@subscriber("construction.illegal.tell_reporter", kinds=["construction.measure_added"])
def tell_reporter(event: Any) -> None:
    payload = event.payload or {}
    entry = (IllegalConstruction.objects.select_related("verification__author")
             .filter(pk=payload.get("illegal_id")).first())
    measure = Measure.objects.filter(pk=payload.get("measure_id"), construction=entry).first()
    if entry is None or measure is None or entry.verification is None or entry.verification.author is None:
        return
    author = entry.verification.author
    with override(_language(author)):
        title = _("A measure is taken on the construction you reported: %(measure)s") % {
            "measure": measure.get_kind_display()}
        body = _("%(address)s — now “%(status)s”.") % {"address": entry.address,
                                                      "status": entry.get_status_display()}
        notify(users=[author], kind=event.kind, title=title, body=body, url=entry.get_absolute_url(), event=event)
