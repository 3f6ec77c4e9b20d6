"""The profile: editing it (page and /api/v1/me/), downloading one's data, deleting the account."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from krai.accounts import services
from krai.accounts.models import ApiToken
from krai.accounts.tests.factories import make_token
from krai.core.events.models import Event
from krai.org.models import User
from krai.org.tests.factories import PASSWORD, MunicipalityFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_editing_the_profile_and_moving_resets_the_residence_check(client, municipality):
    user = UserFactory(home_municipality=municipality, residence_verified=True)
    client.force_login(user)
    same = {"surname": "Сидоров", "given_name": "Пётр", "patronymic": "", "phone": "8 900 000 00 00",
            "home_municipality": municipality.pk}
    assert client.post(reverse("accounts:profile"), same).status_code == 302
    user.refresh_from_db()
    assert (user.surname, user.phone, user.residence_verified) == ("Сидоров", "+79000000000", True)
    elsewhere = MunicipalityFactory()
    client.post(reverse("accounts:profile"), {**same, "home_municipality": elsewhere.pk})
    user.refresh_from_db()
    assert user.home_municipality == elsewhere and not user.residence_verified
    assert Event.objects.filter(kind="accounts.profile_updated", subject_id=str(user.pk)).count() == 2


@pytest.mark.parametrize("change, field", [({"phone": "+7 12"}, "phone"), ({"surname": ""}, "surname"),
                                           ({"home_municipality": "999999"}, "home_municipality")])
def test_bad_profile_input_changes_nothing(client, municipality, change, field):
    user = UserFactory(surname="Прежний", phone="", home_municipality=municipality)
    client.force_login(user)
    data = {"surname": "Новый", "given_name": "Иван", "patronymic": "", "phone": "",
            "home_municipality": municipality.pk, **change}
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    user.refresh_from_db()
    assert user.surname == "Прежний"


def test_the_api_reads_and_patches_me(client, municipality):
    user = UserFactory(residence_verified=True, home_municipality=municipality)
    client.force_login(user)
    assert client.get("/api/v1/me/").json()["email"] == user.email
    assert client.get("/api/v1/me").json()["email"] == user.email
    bad = client.patch("/api/v1/me/", {"phone": "123"}, content_type="application/json")
    assert bad.status_code == 400 and "phone" in bad.json()["error"]["fields"]
    moved = client.patch("/api/v1/me/", {"home_municipality": MunicipalityFactory().pk},
                         content_type="application/json")
    assert moved.status_code == 200 and moved.json()["residence_verified"] is False
    assert client.__class__().get("/api/v1/me/").status_code in (401, 403)


def test_nobody_edits_someone_else_s_profile(db):
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=UserFactory(), user=UserFactory(), surname="Чужой")


def test_download_my_data(client):
    user = UserFactory(phone="+79001112233")
    make_token(user)
    client.force_login(user)
    response = client.get(reverse("accounts:data-export"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email and data["account"]["phone"] == "+79001112233"
    assert len(data["api_tokens"]) == 1 and "secret_hash" not in json.dumps(data)


def test_deleting_the_account_with_a_wrong_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.is_active and user.surname


def test_deleting_the_account_wipes_personal_data_keeps_the_row_and_closes_the_login(client, municipality):
    user = UserFactory(email="leaving@example.ru", phone="+79001112233", home_municipality=municipality)
    token, key = make_token(user)
    with_event = Event.objects.filter(actor=user).count()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False and not user.has_usable_password()
    assert (user.surname, user.given_name, user.patronymic, user.phone) == ("", "", "", "")
    assert user.home_municipality is None and "leaving" not in user.email
    assert User.objects.filter(pk=user.pk).exists()  # contributions still point at a row
    assert Event.objects.filter(actor=user).count() >= with_event  # kept, now anonymous
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("accounts:login"),
                       {"username": "leaving@example.ru", "password": PASSWORD}).status_code == 200
    assert client.__class__().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_staff_accounts_are_not_self_deleted(db):
    staff = StaffFactory()
    with pytest.raises(PermissionDenied):
        services.account_anonymise(actor=staff, user=staff, password=PASSWORD)
    staff.refresh_from_db()
    assert staff.is_active
