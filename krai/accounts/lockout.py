"""The login the lock-out (django-axes) counts failures against: the e-mail as the look-up sees it.

``org.User`` is looked up by e-mail in any letter case; counting failures per login as typed would let
"Person@…", "PERSON@…" and every other spelling fail on its own counter, so the account never locks.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def lockout_username(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the login of the attempt, stripped and in lower case."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field) or credentials.get("email")
    else:
        value = getattr(request, "data", None) or getattr(request, "POST", {})
        value = value.get(field) if hasattr(value, "get") else None
    if not isinstance(value, str):
        return value
    return value.strip().lower()
