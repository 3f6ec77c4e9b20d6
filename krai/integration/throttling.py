"""A registered external system's requests count against its own rate limit.

DRF runs the default throttle classes on every API view that does not set its own (``REST_FRAMEWORK
["DEFAULT_THROTTLE_CLASSES"]``). This one looks at ``request.auth`` first: only a request made with a **system
token** (``ApiToken.Kind.SYSTEM``) costs a query — the system whose service account owns the token — and is counted
in that system's window (one cache key per system, so all its tokens share the limit); anonymous, session and
personal-token requests pass untouched and free. A refusal is DRF's ``Throttled``: a 429 in the API's one error
format, with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from krai.accounts.models import ApiToken
from krai.integration.models import ExternalSystem
from krai.integration.rates import effective_rate


def system_of_token(token: ApiToken) -> ExternalSystem | None:
    """The registered system a system token acts for (``None`` for a token of anyone else)."""
    if token.kind != ApiToken.Kind.SYSTEM:
        return None
    return ExternalSystem.objects.filter(account_id=token.user_id).only("pk", "rate_limit").first()


class SystemRateThrottle(SimpleRateThrottle):
    """The window of the system behind a system token: ``ExternalSystem.rate_limit`` or the default rate."""

    scope = "integration_system"
    cache_format = "throttle_integration_system_%(ident)s"

    def __init__(self) -> None:  # the rate is the system's, known only per request (not THROTTLE_RATES)
        self.rate = None
        self.num_requests = self.duration = None
        self.system_id: int | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        token = getattr(request, "auth", None)  # authentication ran before the throttles: no new query
        if not isinstance(token, ApiToken):
            return True
        system = system_of_token(token)
        if system is None:
            return True
        self.system_id = system.pk
        self.rate = effective_rate(system.rate_limit)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"ident": self.system_id} if self.system_id is not None else None
