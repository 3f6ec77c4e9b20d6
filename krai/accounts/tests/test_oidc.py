"""OpenID Connect: the claim mapping (no network), the backend without a provider, the login buttons."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse

from krai.accounts.oidc import SESSION_KEY, KraiOIDCBackend
from krai.accounts.tests.factories import make_provider
from krai.org.models import User
from krai.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CLAIMS = {"sub": "42", "email": "Ivanova@Example.RU", "email_verified": True, "family_name": "Иванова",
          "given_name": "Мария", "middle_name": "Петровна"}


def test_the_backend_constructs_without_a_provider_and_still_gets_users(db):
    user = UserFactory()
    backend = KraiOIDCBackend()
    assert backend.get_user(user.pk) == user and backend.get_user(10**9) is None
    assert backend.authenticate(RequestFactory().get("/"), username=user.email, password=PASSWORD) is None


def test_password_logins_pass_the_oidc_backend_by(db):
    user = UserFactory(email="plain@example.ru")
    request = RequestFactory().post("/accounts/login/")
    request.session = {}
    assert authenticate(request, username="plain@example.ru", password=PASSWORD) == user


def test_claims_make_a_confirmed_resident_with_russian_names(db):
    provider = make_provider()
    backend = KraiOIDCBackend(provider=provider)
    assert backend.verify_claims(CLAIMS)
    assert not backend.filter_users_by_claims(CLAIMS).exists()
    user = backend.create_user(CLAIMS)
    assert user.email == "ivanova@example.ru" and user.email_confirmed and not user.is_staff
    assert (user.surname, user.given_name, user.patronymic) == ("Иванова", "Мария", "Петровна")
    assert not user.has_usable_password()


def test_claims_find_an_existing_person_by_e_mail_in_any_case_and_confirm_it(db):
    existing = UserFactory(email="ivanova@example.ru", email_confirmed=False)
    backend = KraiOIDCBackend(provider=make_provider())
    found = list(backend.filter_users_by_claims(CLAIMS))
    assert found == [existing]
    backend.update_user(existing, CLAIMS)
    existing.refresh_from_db()
    assert existing.email_confirmed


@pytest.mark.parametrize("claims", [{"sub": "1"}, {**CLAIMS, "email": ""}, {**CLAIMS, "email_verified": False}])
def test_claims_without_a_verified_e_mail_are_refused(db, claims):
    assert not KraiOIDCBackend(provider=make_provider()).verify_claims(claims)


def test_the_whole_mapping_with_the_provider_s_answer_stubbed(db, monkeypatch):
    backend = KraiOIDCBackend(provider=make_provider())
    monkeypatch.setattr(backend, "get_userinfo", lambda access, id_token, payload: dict(CLAIMS))
    user = backend.get_or_create_user("access", "id", {"sub": "42"})
    assert user.email == "ivanova@example.ru"
    assert backend.get_or_create_user("access", "id", {"sub": "42"}) == user  # the second time: found
    assert User.objects.filter(email__iexact="ivanova@example.ru").count() == 1
    monkeypatch.setattr(backend, "get_userinfo", lambda *a: {"sub": "1"})
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {})


def test_a_closed_account_holding_the_e_mail_is_not_reopened(db):
    UserFactory(email="ivanova@example.ru", is_active=False)
    backend = KraiOIDCBackend(provider=make_provider())
    assert not backend.filter_users_by_claims(CLAIMS).exists()
    with pytest.raises(SuspiciousOperation):
        backend.create_user(CLAIMS)


def test_the_login_page_shows_a_button_per_active_provider(client):
    make_provider(slug="region-id", name="Region ID")
    make_provider(slug="old-id", name="Old ID", is_active=False)
    html = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:oidc-login", args=["region-id"]) in html
    assert reverse("accounts:oidc-login", args=["old-id"]) not in html


def test_the_provider_button_leads_to_its_authorization_endpoint(client):
    provider = make_provider()
    response = client.get(reverse("accounts:oidc-login", args=[provider.slug]))
    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == provider.authorization_endpoint
    assert query["client_id"] == ["krai"] and query["scope"] == ["openid email profile"]
    assert query["redirect_uri"][0].endswith(reverse("accounts:oidc-callback"))
    assert client.session[SESSION_KEY] == provider.pk
    assert client.get(reverse("accounts:oidc-login", args=["missing"])).status_code == 404


def test_the_client_secret_comes_from_the_environment(db, monkeypatch):
    provider = make_provider()
    monkeypatch.setenv("KRAI_TEST_OIDC_SECRET", "s3cret")
    assert KraiOIDCBackend(provider=provider).OIDC_RP_CLIENT_SECRET == "s3cret"


def test_a_failed_return_from_the_provider_lands_on_the_login_page(client):
    provider = make_provider()
    client.get(reverse("accounts:oidc-login", args=[provider.slug]))
    response = client.get(reverse("accounts:oidc-callback"), {"error": "access_denied"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_the_callback_without_a_login_started_is_404(client, db):
    assert client.get(reverse("accounts:oidc-callback"), {"code": "x", "state": "y"}).status_code == 404
