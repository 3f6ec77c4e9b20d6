"""Test data of the draft part: an initiative in draft elaboration with a structured version 1."""

from __future__ import annotations

from typing import Any

from krai.lawmaking.models import Initiative, Stage, Version
from krai.lawmaking.services import drafts
from krai.lawmaking.tests import factories

TEXT = """О благоустройстве дворовых территорий

Статья 1. Предмет регулирования
1. Настоящий закон устанавливает порядок благоустройства дворовых территорий.
2. Закон применяется на всей территории края.
3. Действие закона распространяется на парки.

Статья 2. Участие жителей
1. Жители участвуют в благоустройстве:
1) на общих собраниях;
2) через портал."""


def drafted(stage: str = Stage.ELABORATION, *, text: str = TEXT, **fields: Any) -> tuple[Initiative, Version]:
    """An initiative at ``stage`` whose draft's version 1 is ``text`` (the initiator edits it)."""
    initiative = factories.initiative(stage, proposal=text, **fields)
    version = drafts.version_initial(initiative=initiative, actor=initiative.initiator)
    initiative.refresh_from_db()
    return initiative, version
