"""Links to an idea or a poll show as cards (``krai.core.cards``) to whoever may see them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from krai.core.cards import Card, register_card
from krai.participation.selectors import ideas, polls


def idea_card(user: Any, pk: int) -> Card:
    idea = ideas.idea_get(user=user, pk=pk)
    return Card(kind=_("Idea"), title=idea.public_title, url=reverse("participation:idea", args=[idea.pk]),
                status=idea.get_status_display(), summary=Truncator(idea.public_body).chars(200))


def poll_card(user: Any, pk: int) -> Card:
    poll = polls.poll_get(user=user, pk=pk)
    return Card(kind=_("Poll"), title=poll.title, url=reverse("participation:poll", args=[poll.pk]),
                status=poll.get_status_display(), summary=Truncator(poll.description).chars(200))


register_card("participation:idea", idea_card)
register_card("participation:poll", poll_card)
