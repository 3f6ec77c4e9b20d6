"""Every account page renders, for the visitor it is meant for, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from krai.accounts import services
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = ["accounts:login", "accounts:register", "accounts:password_reset", "accounts:password_reset_done",
             "accounts:password_reset_complete", "accounts:confirm-resend-form"]
SIGNED_IN = ["accounts:profile", "accounts:password_change", "accounts:two-factor", "accounts:tokens",
             "accounts:delete"]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_page_renders_with_labelled_fields(client, language):
    client.cookies["django_language"] = language
    for name in ANONYMOUS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert f'lang="{language}"' in response.content.decode()
    user = UserFactory()
    client.force_login(user)
    for name in SIGNED_IN:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        form = response.context.get("form")
        if form is not None and name != "accounts:two-factor":  # its code form shows once setup starts
            html = response.content.decode()
            for field in form:
                grouped = getattr(field.field.widget, "allow_multiple_selected", False)  # a fieldset's legend
                assert f'for="{field.id_for_label}"' in html or grouped, name
    services.totp_start(actor=user)
    assert "<svg" in client.get(reverse("accounts:two-factor")).content.decode()


def test_signed_in_pages_send_visitors_to_log_in(client):
    for name in SIGNED_IN:
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], name


def test_the_russian_catalogue_is_used(client):
    client.cookies["django_language"] = "ru"
    ru = client.get(reverse("accounts:register")).content.decode()
    client.cookies["django_language"] = "en"
    en = client.get(reverse("accounts:register")).content.decode()
    assert ru != en


def test_a_superuser_s_profile_links_to_the_administration_of_accounts(client):
    from krai.org.tests.factories import StaffFactory

    client.force_login(StaffFactory(is_superuser=True))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("admin:accounts_apitoken_add") in html and reverse("admin:org_user_add") in html
    client.force_login(UserFactory())
    assert reverse("admin:accounts_apitoken_add") not in client.get(reverse("accounts:profile")).content.decode()
