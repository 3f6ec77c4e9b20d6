"""A link to a priority project shows as a card (``krai.core.cards``) to staff who may see the project."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from krai.core.cards import Card, register_card
from krai.projects.selectors import project_get


def project_card(user: Any, code: str) -> Card:
    project = project_get(user=user, code=code)
    return Card(kind=_("Priority project"), title=project.title, url=reverse("projects:project", args=[project.code]),
                status=project.get_status_display(), summary=Truncator(project.description).chars(200))


register_card("projects:project", project_card)
