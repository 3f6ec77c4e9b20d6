"""A deputy acting for a principal (``org.Deputyship``): the session's switch and the middleware that applies it.

Placeholder written with the skeleton of issue 20; the deputies' part replaces it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ActingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
