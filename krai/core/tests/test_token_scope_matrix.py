"""Token scopes on every write endpoint, generated from the URL conf: write endpoint × scope.

Every DRF view mounted anywhere is found by walking the resolver; every unsafe method it allows is a write
endpoint. A token with ``read`` + ``write`` + one area scope is refused (403, naming the endpoint's own scope)
everywhere except on the endpoints of that area, and the refusals change nothing in the database. A token of
the endpoint's own area gets past the scope check. The owner is a superuser, so nothing but the scopes stands
in the way. The area each module belongs to is written out here, independently of the code that derives it,
so a new area (or a view outside every area) fails this test until its scope is decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from krai.accounts.models import TOKEN_SCOPES
from krai.accounts.tests.factories import make_token
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: the module of a view → the scope its writes need
AREA_SCOPES = {
    "krai.accounts.": "accounts:write",
    "krai.org.": "org:write",
    "krai.orders.": "orders:write",
    "krai.problems.": "problems:write",
    "krai.participation.": "participation:write",
    "krai.opendata.": "opendata:write",
    "krai.monitoring.": "monitoring:write",
    "krai.projects.": "projects:write",
    "krai.social.": "social:write",
    "krai.lawmaking.": "lawmaking:write",
    "krai.construction.": "construction:write",
    "krai.integration.": "integration:write",
    "krai.administration.": "administration:write",
    "krai.planner.": "planner:write",
    "krai.reports.": "reports:write",
    "krai.core.comments.": "comments:write",
    "krai.core.notifications.": "notifications:write",
    "krai.core.files.": "files:write",
    "krai.core.imports.": "imports:write",
}
#: write endpoints that take no token at all (anonymous by design)
TOKENLESS = {
    "krai.accounts.api.views.RegisterView",
    # another installation's push: its Standard Webhooks signature is its authentication, never a token
    "krai.integration.consolidation.api.PushView",
}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
DUMMY = "999999"  # a refusal comes before any lookup, so no object needs to exist


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    view: str
    declared: tuple[str, ...] = ()  # what the view asks besides its area's scope (``required_scopes``)

    @property
    def scope(self) -> str:
        found = [scope for prefix, scope in AREA_SCOPES.items() if self.view.startswith(prefix)]
        assert len(found) == 1, f"{self.view}: which area's scope do its writes need? Add it to AREA_SCOPES."
        return found[0]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.view})"


def _piece(pattern) -> str:
    """A pattern's part of a concrete path, its parameters filled with a dummy id."""
    text = str(pattern.pattern)
    if text.startswith("^") or text.endswith("$") or "(?P<" in text:  # a regular expression (DRF's routers)
        text = re.sub(r"\(\?P<\w+>[^)]*\)", DUMMY, text.lstrip("^").rstrip("$"))
        return text.replace("\\", "")
    return re.sub(r"<(?:\w+:)?\w+>", DUMMY, text)


def _walk(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + _piece(pattern))
        else:
            yield prefix + _piece(pattern), pattern


def write_endpoints() -> list[Endpoint]:
    found = []
    for path, pattern in _walk(get_resolver().url_patterns):
        cls = getattr(pattern.callback, "cls", None)
        if cls is None or not issubclass(cls, APIView):
            continue
        actions = getattr(pattern.callback, "actions", None)
        methods = [m.upper() for m in actions] if actions else [m.upper() for m in cls.http_method_names
                                                                 if hasattr(cls, m)]
        declared = getattr(cls, "required_scopes", None) or []
        for method in methods:
            if method in UNSAFE:
                extra = declared.get(method, []) if isinstance(declared, dict) else declared
                found.append(Endpoint(path="/" + path, method=method, view=f"{cls.__module__}.{cls.__name__}",
                                      declared=tuple(extra)))
    return found


ENDPOINTS = write_endpoints()
AREA_SCOPE_NAMES = sorted(set(AREA_SCOPES.values()))


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _call(client, endpoint: Endpoint, key: str):
    return client.generic(endpoint.method, endpoint.path, "{}", content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def owner(db, settings):
    settings.RATELIMIT_ENABLE = False
    return UserFactory(is_staff=True, is_superuser=True, email_confirmed=True)


def test_the_url_conf_has_write_endpoints_in_every_area():
    """The walk finds what it should, so an empty matrix cannot pass for a safe one."""
    areas = {endpoint.scope for endpoint in ENDPOINTS if endpoint.view not in TOKENLESS}
    assert areas == set(AREA_SCOPE_NAMES)
    assert set(AREA_SCOPE_NAMES) <= set(TOKEN_SCOPES)
    assert {endpoint.view for endpoint in ENDPOINTS} >= TOKENLESS


def test_every_write_endpoint_refuses_every_other_area_s_scope_and_changes_nothing(client, owner):
    tokens = {scope: make_token(owner, scopes=["read", "write", scope], name=scope)[1] for scope in AREA_SCOPE_NAMES}
    tokens["read"] = make_token(owner, scopes=["read"], name="read only")[1]
    tokens["write"] = make_token(owner, scopes=["read", "write"], name="no area")[1]
    before = _counts()
    wrong = []
    cells = 0
    for endpoint in ENDPOINTS:
        if endpoint.view in TOKENLESS:
            continue
        for scope, key in tokens.items():
            if scope == endpoint.scope:
                continue
            cells += 1
            response = _call(client, endpoint, key)
            message = response.json().get("error", {}).get("message", "") if response.status_code == 403 else ""
            named = "write" if scope == "read" else endpoint.scope  # what the refusal says is missing
            if response.status_code != 403 or named not in message:
                wrong.append(f"{endpoint} with {scope}: {response.status_code} {message!r}")
    assert not wrong, "\n".join(wrong)
    assert cells >= len(ENDPOINTS) * 2
    assert _counts() == before


def test_the_endpoint_s_own_scope_gets_past_the_scope_check(client, owner):
    keys = {scope: make_token(owner, scopes=["read", "write", scope], name=scope)[1] for scope in AREA_SCOPE_NAMES}
    wrong = []
    for endpoint in ENDPOINTS:
        if endpoint.view in TOKENLESS:
            continue
        key = keys[endpoint.scope]
        if endpoint.declared:  # the area's scope alone is refused; with the declared ones too it passes
            response = _call(client, endpoint, key)
            if response.status_code != 403:
                wrong.append(f"{endpoint}: passed without {endpoint.declared}")
            key = make_token(owner, scopes=["read", "write", endpoint.scope, *endpoint.declared],
                             name=f"{endpoint}"[:100])[1]
        response = _call(client, endpoint, key)
        message = response.json().get("error", {}).get("message", "") if response.status_code == 403 else ""
        if response.status_code == 401 or "scope" in message:
            wrong.append(f"{endpoint}: {response.status_code} {message!r}")
    assert not wrong, "\n".join(wrong)


def test_open311_posts_with_a_token_need_the_problems_scope(client, owner):
    from krai.problems.models import Problem

    fields = {"service_code": "no-such-service", "lat": "45", "long": "38", "description": "Яма у дома номер семь"}
    for scope in AREA_SCOPE_NAMES:
        key = make_token(owner, scopes=["read", "write", scope], name=scope)[1]
        response = client.post("/open311/v2/requests.json", {**fields, "api_key": key})
        if scope == "problems:write":
            assert response.status_code != 403  # past the key check: the unknown service is the problem now
        else:
            assert response.status_code == 403
    assert not Problem.objects.exists()
