"""A registered external system's requests count against its own rate limit.

Placeholder written with the skeleton of issue 20 (it limits nothing yet); the systems' part replaces it.
"""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import BaseThrottle


class SystemRateThrottle(BaseThrottle):
    def allow_request(self, request: Any, view: Any) -> bool:
        return True
