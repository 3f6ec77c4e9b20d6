"""API tokens: the authentication matrix, scopes, making and revoking them (page, API, admin)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from krai.accounts import services
from krai.accounts.authentication import ApiTokenAuthentication
from krai.accounts.models import TOKEN_SCOPES, ApiToken
from krai.accounts.tests.factories import make_token
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


def _me(client, key, method="get", keyword="Bearer", **data):
    call = getattr(client, method)
    return call("/api/v1/me/", data, content_type="application/json", HTTP_AUTHORIZATION=f"{keyword} {key}")


def test_a_valid_token_authenticates_its_owner_and_notes_the_use(client):
    user = UserFactory()
    token, key = make_token(user)
    response = _me(client, key)
    assert response.status_code == 200 and response.json()["id"] == user.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert _me(client, key, keyword="Token").status_code == 200


def test_only_the_hash_of_the_secret_is_stored(db):
    user = UserFactory()
    token, key = make_token(user)
    secret = key.rsplit("_", 1)[-1] if key.count("_") == 2 else key.split("_", 2)[2]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(row) and len(row["secret_hash"]) == 64
    assert key.startswith(f"krai_{token.prefix}_")


@pytest.mark.parametrize("case", ["revoked", "expired", "wrong_secret", "unknown_prefix", "malformed",
                                  "closed_account", "empty"])
def test_bad_tokens_get_401_in_the_error_format(client, case):
    user = UserFactory()
    token, key = make_token(user)
    if case == "revoked":
        services.token_revoke(actor=user, token=token)
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "wrong_secret":
        key = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    elif case == "unknown_prefix":
        key = "krai_00000000_" + key.split("_", 2)[2]
    elif case == "malformed":
        key = "not-a-token"
    elif case == "closed_account":
        user.is_active = False
        user.save()
    elif case == "empty":
        key = ""
    response = _me(client, key)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401
    assert response.has_header("WWW-Authenticate")


def test_a_read_only_token_cannot_write(client):
    user = UserFactory(surname="Прежняя")
    _token, key = make_token(user, scopes=["read"])
    response = _me(client, key, method="patch", surname="Новая")
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403 and response.json()["error"]["code"] == "permission_denied"
    user.refresh_from_db()
    assert user.surname == "Прежняя"


def test_a_write_token_writes_with_the_area_s_scope(client):
    user = UserFactory(surname="Прежняя")
    _token, key = make_token(user, scopes=["read", "write"])
    assert _me(client, key, method="patch", surname="Новая").status_code == 403  # "write" alone is not enough
    _token, key = make_token(user, scopes=["read", "write", "accounts:write"], name="profile")
    assert _me(client, key, method="patch", surname="Новая").status_code == 200
    user.refresh_from_db()
    assert user.surname == "Новая"


def test_a_token_without_read_cannot_read(client):
    _token, key = make_token(UserFactory(), scopes=["write"])
    assert _me(client, key).status_code == 403


class _ExtraScopeView(APIView):
    """A view of this module (so of the accounts area) that replaces its permission classes and declares one more
    scope: neither drops the scope check, which runs at authentication."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes: list = []
    required_scopes = {"POST": ["orders:write"]}

    def get(self, request):
        from rest_framework.response import Response

        return Response({"ok": True})

    post = get


@pytest.mark.parametrize("scopes, method, allowed", [
    (["read"], "get", True),
    (["write"], "get", False),
    (["read", "write"], "post", False),
    (["read", "write", "orders:write"], "post", False),  # lacks its area's accounts:write
    (["read", "write", "accounts:write"], "post", False),  # lacks the declared orders:write
    (["read", "accounts:write", "orders:write"], "post", False),  # lacks write
    (["read", "write", "accounts:write", "orders:write"], "post", True),
])
def test_every_view_needs_its_area_s_scope_and_what_it_declares(db, scopes, method, allowed):
    _token, key = make_token(UserFactory(), scopes=scopes)
    request = getattr(APIRequestFactory(), method)("/x/", HTTP_AUTHORIZATION=f"Bearer {key}")
    response = _ExtraScopeView.as_view()(request)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("module, scope", [
    ("krai.orders.api.views", "orders:write"), ("krai.participation.api.polls", "participation:write"),
    ("krai.core.comments.api", "comments:write"), ("krai.accounts.api.views", "accounts:write"),
    ("drf_spectacular.views", None),
])
def test_the_area_scope_comes_from_the_view_s_module(module, scope):
    from krai.accounts.scopes import area_write_scope, scopes_needed

    view = type("View", (), {"__module__": module})()
    assert area_write_scope(view) == scope
    if scope is None:  # outside every area with nothing declared: no token scope allows a write
        assert not set(scopes_needed(view, "POST")) <= set(TOKEN_SCOPES)


def test_a_session_is_not_narrowed_by_token_scopes(client):
    user = UserFactory()
    client.force_login(user)
    assert client.patch("/api/v1/me/", {"given_name": "Пётр"}, content_type="application/json").status_code == 200


# --- making and revoking ---------------------------------------------------------------------------------------

def test_a_person_makes_a_token_on_the_page_and_sees_it_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "Скрипт", "scopes": ["read"]})
    assert response.status_code == 200
    key = response.context["issued"].key
    assert key in response.content.decode()
    again = client.get(reverse("accounts:tokens"))
    assert key not in again.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.scopes == ["read"] and token.kind == ApiToken.Kind.PERSONAL
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("data, field", [({"name": "", "scopes": ["read"]}, "name"),
                                         ({"name": "x", "scopes": []}, "scopes"),
                                         ({"name": "x", "scopes": ["root"]}, "scopes")])
def test_bad_token_input_makes_nothing(client, data, field):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:tokens"), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_someone_else_s_token_cannot_be_revoked(client):
    token, _key = make_token(UserFactory())
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    assert client.delete(f"/api/v1/accounts/tokens/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_api_lists_makes_and_revokes_own_tokens(client):
    user = UserFactory()
    client.force_login(user)
    made = client.post("/api/v1/accounts/tokens/", {"name": "CI", "scopes": ["read", "write"]},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["key"].startswith("krai_")
    listed = client.get("/api/v1/accounts/tokens/").json()
    assert [t["name"] for t in listed] == ["CI"] and "key" not in listed[0]
    revoked = client.delete(f"/api/v1/accounts/tokens/{made.json()['id']}/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert _me(client.__class__(), made.json()["key"]).status_code == 401


def test_a_token_cannot_mint_a_wider_token(client):
    _token, key = make_token(UserFactory(), scopes=["read", "write", "accounts:write"])
    response = client.post("/api/v1/accounts/tokens/", {"name": "wider", "scopes": ["read", "write", "org:write"]},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403 and ApiToken.objects.count() == 1
    narrower = client.post("/api/v1/accounts/tokens/", {"name": "narrower", "scopes": ["read"]},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert narrower.status_code == 201 and ApiToken.objects.count() == 2


def test_only_an_administrator_issues_integrated_system_tokens(db):
    service_account = UserFactory(email="1c@systems.krai")
    citizen, staff = UserFactory(), StaffFactory()
    for actor in (citizen, staff, service_account):
        with pytest.raises(PermissionDenied):
            services.token_create(actor=actor, user=service_account, name="1C", scopes=["read"],
                                  kind=ApiToken.Kind.SYSTEM)
    admin = StaffFactory()
    assign(admin, Role.ADMINISTRATOR)
    issued = services.token_create(actor=admin, user=service_account, name="1C", scopes=["read"],
                                   kind=ApiToken.Kind.SYSTEM)
    assert issued.token.user == service_account and issued.token.created_by == admin
    with pytest.raises(PermissionDenied):  # and nobody makes a personal token for someone else
        services.token_create(actor=admin, user=citizen, name="x", scopes=["read"])


def test_an_administrator_issues_a_system_token_in_django_admin(client):
    admin = StaffFactory(is_superuser=True)
    service_account = UserFactory(email="gis@systems.krai")
    client.force_login(admin)
    response = client.post(reverse("admin:accounts_apitoken_add"),
                           {"user": service_account.pk, "name": "ГИС ЖКХ", "scopes": ["read", "write"]}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=service_account)
    assert token.kind == ApiToken.Kind.SYSTEM and token.created_by == admin
    assert any(f"krai_{token.prefix}_" in str(m) for m in response.context["messages"])


def test_an_expiry_in_the_past_is_refused(db):
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.token_create(actor=user, user=user, name="x", scopes=["read"],
                              expires_at=timezone.now() - timedelta(days=1))
    assert not ApiToken.objects.exists()


def test_the_scope_guard_holds_for_every_area_s_api(client):
    """Another area's views do not list TokenScopes, yet a read-only token or another area's cannot write there."""
    admin = StaffFactory(is_superuser=True)
    _token, read_only = make_token(admin, scopes=["read"])
    listed = client.get("/api/v1/blocks/", HTTP_AUTHORIZATION=f"Bearer {read_only}")
    assert listed.status_code == 200
    refused = client.post("/api/v1/blocks/", {"code": "b-x", "name": "Блок"}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {read_only}")
    assert refused.status_code == 403 and refused.json()["error"]["status"] == 403
    from krai.org.models import Block

    assert not Block.objects.filter(code="b-x").exists()
    _token, other_area = make_token(admin, scopes=["read", "write", "opendata:write"], name="open data")
    refused = client.post("/api/v1/blocks/", {"code": "b-x", "name": "Блок"}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {other_area}")
    assert refused.status_code == 403 and "org:write" in refused.json()["error"]["message"]
    assert not Block.objects.filter(code="b-x").exists()
    _token, writer = make_token(admin, scopes=["read", "write", "org:write"], name="writer")
    made = client.post("/api/v1/blocks/", {"code": "b-x", "name": "Блок"}, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert made.status_code == 201
