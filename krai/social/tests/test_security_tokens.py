"""Token scopes on the community's API: every write (POST/PUT/PATCH/DELETE) under /api/v1/social/, enumerated
from the URL conf, refuses a token without ``social:write`` (403) and changes nothing; with it, the token gets
past the scope check."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from krai.accounts.tests.factories import make_token
from krai.core.tests.test_token_scope_matrix import write_endpoints
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SOCIAL = [e for e in write_endpoints() if e.view.startswith("krai.social.")]


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _call(client: Any, endpoint: Any, key: str) -> Any:
    return client.generic(endpoint.method, endpoint.path, "{}", content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def owner(settings: Any) -> Any:
    settings.RATELIMIT_ENABLE = False
    return UserFactory(is_staff=True, is_superuser=True, email_confirmed=True)


def test_the_walk_finds_every_social_write() -> None:
    methods = {(e.path.split("999999")[0], e.method) for e in SOCIAL}
    assert all(e.path.startswith("/api/v1/social/") for e in SOCIAL)
    for expected in [("/api/v1/social/publications/", "POST"), ("/api/v1/social/publications/", "PATCH"),
                     ("/api/v1/social/publications/", "DELETE"), ("/api/v1/social/profiles/me/", "PATCH"),
                     ("/api/v1/social/conversations/", "POST"), ("/api/v1/social/blocks/", "POST"),
                     ("/api/v1/social/reports/", "POST"), ("/api/v1/social/albums/", "POST")]:
        assert expected in methods, expected
    assert len(SOCIAL) >= 20


def test_every_social_write_refuses_a_token_without_social_write(client: Any, owner: Any) -> None:
    keys = {"read": make_token(owner, scopes=["read"], name="read")[1],
            "write": make_token(owner, scopes=["read", "write"], name="write")[1],
            "projects": make_token(owner, scopes=["read", "write", "projects:write"], name="other area")[1],
            "social only": make_token(owner, scopes=["read", "social:write"], name="no write")[1]}
    before = _counts()
    wrong = []
    for endpoint in SOCIAL:
        for name, key in keys.items():
            response = _call(client, endpoint, key)
            if response.status_code != 403:
                wrong.append(f"{endpoint} with {name}: {response.status_code}")
            elif "error" not in response.json():
                wrong.append(f"{endpoint} with {name}: not the error format {response.json()}")
    assert not wrong, "\n".join(wrong)
    assert _counts() == before


def test_a_token_with_social_write_gets_past_the_scope_check(client: Any, owner: Any) -> None:
    key = make_token(owner, scopes=["read", "write", "social:write"], name="social")[1]
    wrong = []
    for endpoint in SOCIAL:
        response = _call(client, endpoint, key)
        message = response.json().get("error", {}).get("message", "") if response.status_code == 403 else ""
        if response.status_code == 401 or "scope" in message:
            wrong.append(f"{endpoint}: {response.status_code} {message!r}")
    assert not wrong, "\n".join(wrong)
