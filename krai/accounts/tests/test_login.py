"""Logging in and out, the lock-out after failures, password reset and change, the second factor."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from krai.accounts import services
from krai.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_form_keeps_the_field_names_the_browser_tests_use(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'name="username"' in html and 'id="id_username"' in html and 'type="email"' in html
    assert 'name="password"' in html and 'id="id_password"' in html


def test_a_person_logs_in_by_e_mail_in_any_case_and_logs_out_by_post(client):
    UserFactory(email="person@example.ru")
    response = _login(client, "Person@Example.RU", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not _logged_in(client)


@pytest.mark.parametrize("email, password", [("person@example.ru", "wrong"), ("nobody@example.ru", PASSWORD),
                                             ("", ""), ("person@example.ru", "")])
def test_bad_credentials_get_a_clear_error_and_no_session(client, email, password):
    UserFactory(email="person@example.ru")
    response = _login(client, email, password)
    assert response.status_code == 200 and not _logged_in(client)
    assert response.context["form"].errors


def test_a_closed_account_cannot_log_in(client):
    UserFactory(email="closed@example.ru", is_active=False)
    _login(client, "closed@example.ru", PASSWORD)
    assert not _logged_in(client)


def test_five_failures_lock_the_account_out_with_the_locked_out_page(client, settings):
    UserFactory(email="person@example.ru")
    for _i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "person@example.ru", "wrong").status_code == 200
    locked = _login(client, "person@example.ru", "wrong")
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    # now even the right password is refused from here
    again = _login(client, "person@example.ru", PASSWORD)
    assert again.status_code == 429 and not _logged_in(client)


def _spelling(email: str, n: int) -> str:
    """The ``n``-th letter-case spelling of ``email`` (bit ``i`` of ``n`` capitalises letter ``i``)."""
    return "".join(c.upper() if n >> i & 1 else c for i, c in enumerate(email))


def test_wrong_passwords_in_any_letter_case_lock_the_one_account(client, settings):
    """The look-up ignores letter case, so the failures are counted the same way (not per spelling)."""
    UserFactory(email="person@example.ru")
    limit = settings.AXES_FAILURE_LIMIT
    spellings = [_spelling("person@example.ru", n) for n in range(1, limit + 1)]
    assert len(set(spellings)) == limit
    for spelling in spellings[:-1]:
        assert _login(client, spelling, "wrong").status_code == 200
    assert _login(client, f" {spellings[-1]} ", "wrong").status_code == 429
    again = _login(client, "person@example.ru", PASSWORD)
    assert again.status_code == 429 and not _logged_in(client)


def test_the_lock_out_is_per_account_and_address(client, settings):
    UserFactory(email="person@example.ru")
    UserFactory(email="other@example.ru")
    for _i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "person@example.ru", "wrong")
    assert _login(client, "other@example.ru", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert _login(client, "person@example.ru", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_password_reset_by_e_mail(client, sent):
    user = UserFactory(email="forgetful@example.ru")
    with sent():
        response = client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.ru"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": "Novyi-parol-2026", "new_password2": "Drugoi-parol-2026"})
    assert mismatch.status_code == 200 and mismatch.context["form"].errors
    done = client.post(set_url, {"new_password1": "Novyi-parol-2026", "new_password2": "Novyi-parol-2026"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Novyi-parol-2026")
    assert not client.get(path, follow=True).context["validlink"]  # used once


def test_password_reset_for_an_unknown_e_mail_sends_nothing_and_says_the_same(client, sent):
    with sent():
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.ru"})
    assert response.status_code == 302 and not mail.outbox


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    bad = client.post(reverse("accounts:password_change"),
                      {"old_password": "wrong", "new_password1": "Novyi-parol-2026",
                       "new_password2": "Novyi-parol-2026"})
    assert bad.status_code == 200 and "old_password" in bad.context["form"].errors
    good = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password1": "Novyi-parol-2026",
                        "new_password2": "Novyi-parol-2026"})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Novyi-parol-2026") and _logged_in(client)


# --- two factors --------------------------------------------------------------------------------------------

def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"


@pytest.fixture
def with_2fa(db):
    user = UserFactory(email="careful@example.ru")
    device = services.totp_start(actor=user)
    codes = services.totp_confirm(actor=user, code=_code(device))
    _rested(device)
    return user, device, codes


def _rested(device: TOTPDevice) -> None:
    """As if time passed: the code used at setup may be used again and the wrong-code delay is over."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    device.refresh_from_db()


def test_setting_up_two_factor_through_the_pages(client):
    user = UserFactory()
    client.force_login(user)
    assert 'class="my-3 krai-qr"' not in client.get(reverse("accounts:two-factor")).content.decode()
    client.post(reverse("accounts:two-factor-start"))
    page = client.get(reverse("accounts:two-factor")).content.decode()
    qr = page.split('class="my-3 krai-qr"', 1)[1].split("</div>", 1)[0]
    assert "<svg" in qr  # the QR code to scan
    device = services.totp_pending(user)
    wrong = client.post(reverse("accounts:two-factor"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and not services.has_two_factor(user)
    _rested(device)
    right = client.post(reverse("accounts:two-factor"), {"code": _code(device)})
    assert right.status_code == 200 and len(right.context["codes"]) == services.BACKUP_CODES
    assert services.has_two_factor(user)
    client.post(reverse("accounts:two-factor-disable"), {"password": "wrong"})
    assert services.has_two_factor(user)
    client.post(reverse("accounts:two-factor-disable"), {"password": PASSWORD})
    assert not services.has_two_factor(user)


def test_login_asks_for_the_code_when_the_person_has_an_authenticator(client, with_2fa):
    user, device, _codes = with_2fa
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login-verify")
    assert not _logged_in(client)
    assert client.get(reverse("accounts:profile")).status_code == 302  # not in yet
    wrong = client.post(reverse("accounts:login-verify"), {"code": "12345"})
    assert wrong.status_code == 400 and not _logged_in(client)
    _rested(device)
    right = client.post(reverse("accounts:login-verify"), {"code": _code(device)})
    assert right.status_code == 302 and _logged_in(client)
    assert client.session.get("otp_device_id")


def test_a_backup_code_works_once(client, with_2fa):
    user, _device, codes = with_2fa
    _login(client, user.email, PASSWORD)
    assert client.post(reverse("accounts:login-verify"), {"code": codes[0]}).status_code == 302
    client.post(reverse("accounts:logout"))
    _login(client, user.email, PASSWORD)
    assert client.post(reverse("accounts:login-verify"), {"code": codes[0]}).status_code == 400
    assert not _logged_in(client)


def test_too_many_wrong_codes_send_the_person_back_to_the_password(client, with_2fa):
    user, device, _codes = with_2fa
    _login(client, user.email, PASSWORD)
    for _i in range(5):
        client.post(reverse("accounts:login-verify"), {"code": "99999999"})
    response = client.post(reverse("accounts:login-verify"), {"code": _code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not _logged_in(client)


def test_the_code_page_without_a_password_first_sends_to_login(client):
    assert client.get(reverse("accounts:login-verify"))["Location"] == reverse("accounts:login")


def test_an_account_opened_without_a_password_sets_one_by_the_reset_link(client, sent):
    from krai.org.models import User

    staff = UserFactory(email="new.staff@example.ru", is_staff=True)
    User.objects.filter(pk=staff.pk).update(password="!unusable")
    UserFactory(email="closed@example.ru", is_active=False)
    with sent():
        client.post(reverse("accounts:password_reset"), {"email": "New.Staff@example.ru"})
        client.post(reverse("accounts:password_reset"), {"email": "closed@example.ru"})
    assert [m.to for m in mail.outbox] == [["new.staff@example.ru"]]
