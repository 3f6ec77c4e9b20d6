"""Staff roles must log in with a second factor, on every way in: the login form, /admin/, OpenID Connect."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from krai.accounts import services
from krai.accounts.oidc import KraiOIDCBackend
from krai.accounts.tests.factories import make_provider
from krai.org.models import Block, Role
from krai.org.tests.factories import PASSWORD, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db

DEFAULT_ROLES = {"administrator", "governor", "vice_governor", "controller"}


@pytest.fixture(autouse=True)
def installation_roles(settings):
    """The roles as an installation has them without ``KRAI_TWO_FACTOR_ROLES`` (the suite's conftest turns the
    second factor off for tests that log staff in with ``force_login``)."""
    settings.KRAI_TWO_FACTOR_ROLES = sorted(DEFAULT_ROLES)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"


def _with_device(user) -> TOTPDevice:
    device = services.totp_start(actor=user)
    services.totp_confirm(actor=user, code=_code(device))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the setup's code may be used again
    device.refresh_from_db()
    return device


def _staff(role: str, **fields):
    user = StaffFactory(**fields)
    assign(user, role)
    return user


def _login(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


SETUP = reverse("accounts:two-factor")


def _held_at_setup(client) -> None:
    """Nothing of the workspace, the admin or the session API opens; the setup page does."""
    assert client.get("/workspace/")["Location"] == SETUP
    assert client.get("/admin/")["Location"] == SETUP
    assert client.get(reverse("accounts:profile"))["Location"] == SETUP
    assert client.get("/", HTTP_HX_REQUEST="true")["HX-Redirect"] == SETUP
    me = client.get("/api/v1/me/")
    assert me.status_code == 403 and me.json()["error"]["code"] == "second_factor_required"
    made = client.post("/api/v1/blocks/", {"code": "b-held", "name": "Блок"}, content_type="application/json")
    assert made.status_code == 403 and not Block.objects.filter(code="b-held").exists()
    page = client.get(SETUP)
    assert page.status_code == 200 and page.context["required"]


def _set_up_on_the_page(client, user) -> None:
    client.post(reverse("accounts:two-factor-start"))
    device = services.totp_pending(user)
    response = client.post(SETUP, {"code": _code(device)})
    assert response.status_code == 200 and services.has_two_factor(user)


def test_an_installation_asks_administrators_the_governor_vice_governors_and_controllers_by_default():
    if os.environ.get("KRAI_TWO_FACTOR_ROLES"):
        pytest.skip("KRAI_TWO_FACTOR_ROLES is set in this environment")
    import krai.settings

    assert set(krai.settings.KRAI_TWO_FACTOR_ROLES) == DEFAULT_ROLES


@pytest.mark.parametrize("role", sorted(DEFAULT_ROLES))
def test_a_staff_role_without_a_device_is_led_to_set_one_up_and_then_gets_in(client, role):
    user = _staff(role)
    assert _login(client, user).status_code == 302 and _logged_in(client)
    _held_at_setup(client)
    _set_up_on_the_page(client, user)
    assert client.get("/workspace/").status_code == 200  # the code entered at setup counts for this session
    assert client.get("/api/v1/me/").status_code == 200


def test_a_superuser_is_an_administrator_for_the_second_factor(client):
    user = StaffFactory(is_superuser=True)
    _login(client, user)
    _held_at_setup(client)


def test_the_admin_logs_in_through_the_same_form(client):
    login = client.get("/admin/login/?next=/admin/")
    assert login.status_code == 302 and login["Location"].startswith(reverse("accounts:login"))


def test_with_a_device_the_code_is_asked_before_anything_opens(client):
    governor = _staff(Role.GOVERNOR)
    device = _with_device(governor)
    response = client.post(reverse("accounts:login") + "?next=/workspace/",
                           {"username": governor.email, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login-verify") and not _logged_in(client)
    assert client.get("/workspace/")["Location"].startswith(reverse("accounts:login"))
    done = client.post(reverse("accounts:login-verify"), {"code": _code(device)})
    assert done["Location"] == "/workspace/" and client.get("/workspace/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_session_opened_without_the_code_is_sent_back_to_the_code(client):
    """A session that skipped the code (older than the rule, or opened some other way) does not get through."""
    governor = _staff(Role.GOVERNOR)
    device = _with_device(governor)
    client.force_login(governor)
    response = client.get("/workspace/?tab=1")
    assert response["Location"] == reverse("accounts:login-verify") and not _logged_in(client)
    assert client.post("/api/v1/blocks/", {"code": "b-x", "name": "Блок"},
                       content_type="application/json").status_code in (401, 403)
    done = client.post(reverse("accounts:login-verify"), {"code": _code(device)})
    assert done["Location"] == "/workspace/?tab=1" and _logged_in(client)


@pytest.mark.parametrize("name", ["accounts:backup-codes", "accounts:two-factor-disable"])
def test_a_session_without_the_code_cannot_get_round_it(client, name):
    """New backup codes, or turning the authenticator off, with the password alone would skip the code."""
    from django_otp.plugins.otp_static.models import StaticToken

    governor = _staff(Role.GOVERNOR)
    _with_device(governor)
    codes = set(StaticToken.objects.values_list("token", flat=True))
    client.force_login(governor)
    response = client.post(reverse(name), {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:login-verify") and not _logged_in(client)
    assert set(StaticToken.objects.values_list("token", flat=True)) == codes and services.has_two_factor(governor)
    device = TOTPDevice.objects.get(user=governor)
    assert client.post(reverse("accounts:login-verify"), {"code": _code(device)})["Location"] == "/"


@pytest.mark.parametrize("role", [Role.EXECUTOR, Role.HEAD, Role.EXPERT])
def test_other_roles_and_citizens_are_not_asked(client, role):
    for user in (_staff(role), UserFactory()):
        _login(client, user)
        assert client.get(reverse("accounts:profile")).status_code == 200
        assert client.get("/api/v1/me/").status_code == 200
        client.post(reverse("accounts:logout"))


def test_the_setting_chooses_the_roles(client, settings):
    settings.KRAI_TWO_FACTOR_ROLES = ["executor"]
    executor, governor = _staff(Role.EXECUTOR), _staff(Role.GOVERNOR)
    _login(client, governor)
    assert client.get("/workspace/").status_code == 200
    client.post(reverse("accounts:logout"))
    _login(client, executor)
    assert client.get("/workspace/")["Location"] == SETUP
    settings.KRAI_TWO_FACTOR_ROLES = []
    assert client.get("/workspace/").status_code == 200


def test_an_unknown_role_in_the_setting_stops_the_start(settings):
    from django.core.management.base import SystemCheckError

    settings.KRAI_TWO_FACTOR_ROLES = ["governor", "vicegovernor"]
    with pytest.raises(SystemCheckError, match="vicegovernor"):
        call_command("check")


# --- OpenID Connect -----------------------------------------------------------------------------------------

def _oidc_login(client, monkeypatch, user, *, id_token_amr=None, userinfo_amr=None):
    """The whole provider round trip, the provider's answers stubbed (no network)."""
    payload = {"sub": "42", "nonce": "n", **({"amr": id_token_amr} if id_token_amr is not None else {})}
    claims = {"sub": "42", "email": user.email, "email_verified": True,
              **({"amr": userinfo_amr} if userinfo_amr is not None else {})}
    monkeypatch.setattr(KraiOIDCBackend, "get_token", lambda self, data: {"id_token": "i", "access_token": "a"})
    monkeypatch.setattr(KraiOIDCBackend, "verify_token", lambda self, token, **kw: dict(payload))
    monkeypatch.setattr(OIDCAuthenticationBackend, "get_userinfo", lambda self, *a: dict(claims))
    provider = make_provider()
    start = client.get(reverse("accounts:oidc-login", args=[provider.slug]))
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    response = client.get(reverse("accounts:oidc-callback"), {"code": "c", "state": state})
    assert response.status_code == 302 and _logged_in(client)
    return response


@pytest.mark.parametrize("where", ["id_token", "userinfo"])
def test_a_provider_asserting_a_second_factor_lets_staff_in(client, monkeypatch, where):
    governor = _staff(Role.GOVERNOR)
    amr = ["pwd", "otp"]
    _oidc_login(client, monkeypatch, governor, **{f"{where}_amr": amr})
    assert client.get("/workspace/").status_code == 200


@pytest.mark.parametrize("amr", [None, ["pwd"], "pwd"])
def test_a_provider_without_a_second_factor_leaves_staff_held(client, monkeypatch, amr):
    governor = _staff(Role.GOVERNOR)
    _oidc_login(client, monkeypatch, governor, id_token_amr=amr)
    _held_at_setup(client)


def test_a_provider_without_a_second_factor_and_a_device_asks_the_code(client, monkeypatch):
    governor = _staff(Role.GOVERNOR)
    device = _with_device(governor)
    _oidc_login(client, monkeypatch, governor, id_token_amr=["pwd"])
    assert client.get("/workspace/")["Location"] == reverse("accounts:login-verify")
    assert client.post(reverse("accounts:login-verify"), {"code": _code(device)})["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200


def test_a_citizen_through_a_provider_is_not_asked(client, monkeypatch):
    citizen = UserFactory()
    _oidc_login(client, monkeypatch, citizen)
    assert client.get(reverse("accounts:profile")).status_code == 200
