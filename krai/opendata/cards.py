"""A link to an open dataset shows as a card (``krai.core.cards``) to whoever may see the dataset."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from krai.core.cards import Card, register_card
from krai.opendata.selectors import dataset_get_for_user


def dataset_card(user: Any, identifier: str) -> Card:
    dataset = dataset_get_for_user(user=user, identifier=identifier)
    return Card(kind=_("Open dataset"), title=dataset.title, url=reverse("opendata:dataset", args=[dataset.identifier]),
                status=dataset.get_status_display(), summary=Truncator(dataset.description).chars(200))


register_card("opendata:dataset", dataset_card)
