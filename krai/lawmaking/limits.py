"""The one refusal of law-making's rate limits (concepts, supports and answers, comments on the draft,
amendments): the kernel's ``RateLimited`` — a ValidationError for pages, a 429 for the API."""

from krai.core.ratelimit import RateLimited

__all__ = ["RateLimited"]
