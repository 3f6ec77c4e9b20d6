"""What the participation pages share: refusals shown as messages, staff-only pages, rate limits, forms."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from krai.core.views import ratelimited

PUBLIC_WRITE_RATE = "30/m"


def public_write(view):
    """A resident's write through the pages (a vote, a rating, an idea, a support): at most 30 a minute per
    person (or address), then the 429 page; honours ``RATELIMIT_ENABLE``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_ratelimited(request, group="participation.public_write", key="user_or_ip", rate=PUBLIC_WRITE_RATE,
                          method="POST", increment=True):
            return ratelimited(request)
        return view(request, *args, **kwargs)

    return wrapper


def workspace_required(view):
    """Staff pages: anonymous visitors go to the login page, residents get the friendly 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("participation.access_workspace"):
            raise PermissionDenied(_("The workspace is for the staff of the region's public bodies."))
        return view(request, *args, **kwargs)

    return wrapper


def refusal(exc: Exception) -> tuple[list[str], dict[str, list[str]], int]:
    """A service's refusal as (general messages, messages by field, HTTP status) for a page to show."""
    if isinstance(exc, PermissionDenied):
        message = str(exc) or _("You may not do this.")
        return [message], {}, 403
    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        general: list[str] = []
        fields: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            if field in ("__all__", "answers"):
                general.extend(messages)
            else:
                fields[field] = list(messages)
        return general, fields, 400
    return list(exc.messages), {}, 400


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
