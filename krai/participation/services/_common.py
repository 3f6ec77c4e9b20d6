"""What every participation service shares: who the actor is, permission checks, the poll gate."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext_lazy as _

#: the high bits of PostgreSQL advisory-lock keys taken by this app (a poll's gate)
_GATE_CLASS = 0x5041 << 40


def require(actor: Any, permission: str, obj: Any = None, message: Any = None) -> None:
    """Refuse (``PermissionDenied`` with a message) unless ``actor`` holds ``permission`` on ``obj``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message or _("You may not do this."))


def require_confirmed_resident(actor: Any, *, verb: Any) -> None:
    """A resident's act needs a signed-in, active account with a confirmed e-mail; say which is missing."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to %(verb)s.") % {"verb": verb})
    if not actor.is_active:
        raise PermissionDenied(_("This account is blocked."))
    if not getattr(actor, "email_confirmed", False):
        raise PermissionDenied(_("Confirm your e-mail address to %(verb)s: acts of unconfirmed accounts are not "
                                 "counted.") % {"verb": verb})


def poll_gate(poll_id: int, *, exclusive: bool) -> None:
    """Serialise closing a poll against the votes in flight (PostgreSQL; SQLite writes one at a time anyway).

    Votes take the gate shared, so they run side by side; closing takes it exclusively, so it waits for
    every vote already past its checks and every later vote sees the poll closed.
    """
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [_GATE_CLASS | int(poll_id)])
