"""A link to an initiative (in a community publication, a comment…) shows as a card (``krai.core.cards``): its
title, stage and responsible body — for a reader who may see it; for anyone else no card shows, so a link never
reveals a concept waiting for moderation."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from krai.core.cards import Card, register_card
from krai.core.privacy import mask_personal
from krai.lawmaking.selectors.initiatives import initiative_for


def initiative_card(user: Any, pk: Any = None, **kwargs: Any) -> Card:
    # the detail page's URL names its argument ``pk``; any other single name is taken as well
    initiative = initiative_for(user, pk if pk is not None else next(iter(kwargs.values()), None))
    try:
        url = initiative.get_absolute_url()
    except NoReverseMatch:
        url = f"/lawmaking/{initiative.pk}/"
    where = str(initiative.municipality) if initiative.municipality_id else str(initiative.get_level_display())
    return Card(kind=_("Draft act"), title=initiative.title, url=url,
                status=f"{initiative.get_stage_display()} · {initiative.responsible_body}",
                summary=Truncator(f"{where}. {mask_personal(initiative.problem)}").chars(200))


def register() -> None:
    register_card("lawmaking:detail", initiative_card)
