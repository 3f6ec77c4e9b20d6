"""Law-making's settings, with their defaults (``docs/operations.md``)."""

from __future__ import annotations

from django.conf import settings


def support_threshold() -> int:
    """Supporters that move an initiative from the discussion to the draft (``KRAI_LAWMAKING_SUPPORT_THRESHOLD``)."""
    return max(1, int(getattr(settings, "KRAI_LAWMAKING_SUPPORT_THRESHOLD", 100)))


def discussion_days() -> int:
    """Calendar days the idea discussion lasts (``KRAI_LAWMAKING_DISCUSSION_DAYS``)."""
    return max(1, int(getattr(settings, "KRAI_LAWMAKING_DISCUSSION_DAYS", 30)))


def expertise_working_days() -> int:
    """Working days experts have for their reviews by default (``KRAI_LAWMAKING_EXPERTISE_WORKING_DAYS``)."""
    return max(1, int(getattr(settings, "KRAI_LAWMAKING_EXPERTISE_WORKING_DAYS", 15)))


def reaction_working_days() -> int:
    """Working days the responsible body has for its reaction (``KRAI_LAWMAKING_REACTION_WORKING_DAYS``)."""
    return max(1, int(getattr(settings, "KRAI_LAWMAKING_REACTION_WORKING_DAYS", 20)))
