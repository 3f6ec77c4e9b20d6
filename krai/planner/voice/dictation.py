"""What the voice page and the voice API share: hearing an upload (``engines``), reading a phrase into a draft (the
phrase reader, ``parse``), the draft as JSON, and the draft's priority in the orders' urgency classes."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from krai.planner.voice.types import Draft, Named, PersonMatch

#: the reader's priorities as the orders' urgency classes (krai.orders.models.Priority)
ORDER_PRIORITY = {"normal": "ordinary", "high": "prompt", "urgent": "urgent"}


def language() -> str | None:
    """The language phrases are read in: the engine's model's (``KRAI_VOICE_LANGUAGE``), else told from the text."""
    return (settings.KRAI_VOICE_LANGUAGE or "")[:2] or None


def read(text: str, *, user: Any, language_code: str | None = None) -> Draft:
    """``text`` read into a draft for ``user`` (the phrase reader; language told from the letters if not given)."""
    from krai.planner.voice.parse import parse

    return parse(text, user=user, language=language_code or None)


def person_json(person: PersonMatch | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.user_id, "name": person.full_name, "unit": person.unit, "score": round(person.score, 3)}


def named_json(named: Named) -> dict[str, Any]:
    return {"words": named.words, "person": person_json(named.person),
            "candidates": [person_json(person) for person in named.candidates]}


def draft_json(draft: Draft) -> dict[str, Any]:
    """The draft as the API answers it (dates in ISO form)."""
    return {
        "text": draft.text, "language": draft.language, "intent": draft.intent, "subject": draft.subject,
        "executor": person_json(draft.executor),
        "candidates": [person_json(person) for person in draft.candidates],
        "executors": [named_json(named) for named in draft.executors], "executor_words": draft.executor_words,
        "deadline": draft.deadline.isoformat() if draft.deadline else None, "deadline_words": draft.deadline_words,
        "priority": draft.priority, "missing": list(draft.missing), "complete": draft.complete,
    }
