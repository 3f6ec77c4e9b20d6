"""The one refusal of law-making's rate limits (concepts, supports and answers, comments on the draft,
amendments): a ValidationError for pages, a 429 for the API (``api/base.py``)."""

from django.core.exceptions import ValidationError


class RateLimited(ValidationError):
    """Too many writes of one kind in a short time."""
