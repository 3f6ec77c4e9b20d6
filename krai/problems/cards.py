"""A link to a problem report shows as a card (``krai.core.cards``) to whoever may see the report."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from krai.core.cards import Card, register_card
from krai.problems.selectors import problem_get_for_user


def problem_card(user: Any, pk: int) -> Card:
    problem = problem_get_for_user(user=user, pk=pk)
    title = f"№{problem.pk} {problem.category.name}"
    if problem.address:
        title += f", {problem.public_address}"
    return Card(kind=_("Problem report"), title=title, url=reverse("problems:detail", args=[problem.pk]),
                status=problem.get_status_display(), summary=Truncator(problem.public_text).chars(200))


register_card("problems:detail", problem_card)
