"""The residence journey through the API: the resident asks, the municipality's staff verify or refuse."""

import pytest
from django.urls import reverse

from krai.accounts.tests.factories import make_token
from krai.core.events.models import Event
from krai.core.files.tests.factories import PDF, upload
from krai.org.models import ResidenceRequest, Role
from krai.org.tests.factories import MunicipalityFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db

ME = reverse("accounts-residence")
QUEUE = reverse("residence-requests")


def decide(pk: int, decision: str) -> str:
    return reverse(f"residence-request-{decision}", args=[pk])


@pytest.fixture
def town(db):
    return MunicipalityFactory(name="Город")


@pytest.fixture
def village(db):
    return MunicipalityFactory(name="Село")


@pytest.fixture
def resident(db):
    return UserFactory(email_confirmed=True, residence_verified=False)


def head_of(municipality):
    user = StaffFactory()
    assign(user, Role.HEAD, municipality=municipality)
    return user


def ask(client, resident, town, **extra):
    client.force_login(resident)
    data = {"municipality": town.pk, "note": "Живу здесь",
            "document": upload("passport.pdf", PDF, "application/pdf"), **extra}
    return client.post(ME, data, HTTP_ACCEPT_LANGUAGE="en")  # multipart, as a browser's form


def state(item: ResidenceRequest) -> tuple:
    item.refresh_from_db()
    item.user.refresh_from_db()
    return item.status, item.reason, item.user.residence_verified, item.user.home_municipality_id


def test_the_resident_asks_sees_it_pending_and_the_mayor_verifies(client, resident, town, village):
    asked = ask(client, resident, town)
    assert asked.status_code == 201, asked.content
    pk = asked.json()["id"]
    assert asked.json()["documents"][0]["original_name"] == "passport.pdf"
    mine = client.get(ME).json()
    assert mine["pending"] and not mine["residence_verified"]
    assert [(r["id"], r["status"]) for r in mine["requests"]] == [(pk, "pending")]

    mayor = head_of(town)
    client.force_login(mayor)
    ResidenceRequest.objects.create(user=UserFactory(), municipality=village, note="не его")
    queue = client.get(QUEUE).json()
    assert [r["id"] for r in queue["results"]] == [pk] and queue["count"] == 1
    assert client.get(QUEUE, {"municipality": village.pk}).json()["count"] == 0
    assert client.get(QUEUE, {"status": "verified"}).json()["count"] == 0
    done = client.post(decide(pk, "verify"))
    assert done.status_code == 200 and done.json()["status"] == "verified"
    assert Event.objects.filter(kind="org.residence_verified").count() == 1
    assert client.get(QUEUE, {"status": "verified"}).json()["count"] == 1

    client.force_login(resident)
    mine = client.get(ME).json()
    assert mine["residence_verified"] and mine["home_municipality"] == town.pk and not mine["pending"]


def test_the_mayor_refuses_with_a_reason_the_resident_reads_it(client, resident, town):
    pk = ask(client, resident, town).json()["id"]
    client.force_login(head_of(town))
    refused = client.post(decide(pk, "refuse"), {"reason": "Документ нечитаем"}, content_type="application/json")
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    client.force_login(resident)
    mine = client.get(ME).json()
    assert not mine["residence_verified"]
    assert mine["requests"][0]["reason"] == "Документ нечитаем"


@pytest.mark.parametrize("body", [{"reason": "   "}, {}])
def test_a_refusal_without_a_reason_is_400_in_the_users_language_and_changes_nothing(client, resident, town,
                                                                                     body):
    pk = ask(client, resident, town).json()["id"]
    item = ResidenceRequest.objects.get(pk=pk)
    before, events = state(item), Event.objects.count()
    client.force_login(head_of(town))
    response = client.post(decide(pk, "refuse"), body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    message = " ".join(response.json()["error"]["fields"]["reason"])
    assert any("а" <= ch <= "я" for ch in message.lower()), message  # said in Russian
    assert state(item) == before and Event.objects.count() == events


def test_who_may_not_decide_is_refused_and_nothing_changes(client, resident, town, village):
    pk = ask(client, resident, town).json()["id"]
    item = ResidenceRequest.objects.get(pk=pk)
    before, events = state(item), Event.objects.count()
    client.force_login(head_of(village))  # another municipality's staff: not his request to see
    assert client.get(QUEUE).json()["count"] == 0
    assert client.get(QUEUE, {"municipality": town.pk}).json()["count"] == 0
    assert client.post(decide(pk, "verify")).status_code == 404
    assert client.post(decide(pk, "refuse"), {"reason": "нет"}, content_type="application/json").status_code == 404
    client.force_login(UserFactory(email_confirmed=True))  # a citizen
    assert client.get(QUEUE).status_code == 403
    assert client.post(decide(pk, "verify")).status_code == 404
    client.force_login(resident)  # nobody decides on his own request
    assert client.post(decide(pk, "verify")).status_code == 404
    assert state(item) == before and Event.objects.count() == events


@pytest.mark.parametrize("extra, field", [
    ({"document": upload("passport.exe", b"MZ\x90\x00" * 64, "application/octet-stream")}, "document"),
    ({"document": ""}, "document"),
    ({"municipality": ""}, "municipality"),
    ({"note": "x" * 501}, "note"),
])
def test_a_bad_request_is_400_naming_the_field_and_nothing_is_written(client, resident, town, extra, field):
    response = ask(client, resident, town, **extra)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not ResidenceRequest.objects.exists() and not Event.objects.filter(kind__startswith="org.residence")


def test_a_bad_status_filter_is_400(client, town):
    client.force_login(head_of(town))
    assert client.get(QUEUE, {"status": "maybe"}).status_code == 400


def test_tokens_need_the_area_scope_of_each_side(client, resident, town):
    _, narrow = make_token(resident, scopes=("read", "write"))
    doc = {"municipality": town.pk, "document": upload("passport.pdf", PDF, "application/pdf")}
    assert client.post(ME, doc, HTTP_AUTHORIZATION=f"Bearer {narrow}").status_code == 403
    _, key = make_token(resident, scopes=("read", "write", "accounts:write"))
    doc["document"] = upload("passport.pdf", PDF, "application/pdf")
    asked = client.post(ME, doc, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert asked.status_code == 201
    mayor = head_of(town)
    _, accounts_only = make_token(mayor, scopes=("read", "write", "accounts:write"))
    pk = asked.json()["id"]
    assert client.post(decide(pk, "verify"), HTTP_AUTHORIZATION=f"Bearer {accounts_only}").status_code == 403
    _, org = make_token(mayor, scopes=("read", "write", "org:write"))
    assert client.post(decide(pk, "verify"), HTTP_AUTHORIZATION=f"Bearer {org}").status_code == 200
