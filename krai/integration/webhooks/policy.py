"""Who manages webhooks: administrators (``integration.manage_webhooks``), on pages, in the API and in services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def may_manage(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.has_perm("integration.manage_webhooks")


def require_manager(actor: Any) -> None:
    """Refuse anyone but an administrator, with the reason."""
    if not may_manage(actor):
        raise PermissionDenied(_("Only administrators manage webhooks."))
