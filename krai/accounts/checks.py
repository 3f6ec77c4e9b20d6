"""Start-up checks of the accounts settings: a mistyped role must not quietly leave a role without its second factor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def two_factor_roles_known(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from krai.org.models import Role

    known = set(Role.values)
    unknown = sorted(set(getattr(settings, "KRAI_TWO_FACTOR_ROLES", ()) or ()) - known)
    if not unknown:
        return []
    return [Error(f"KRAI_TWO_FACTOR_ROLES names unknown roles: {', '.join(unknown)}",
                  hint=f"Use role names from: {', '.join(sorted(known))} (or 'none').", id="krai.accounts.E001")]
