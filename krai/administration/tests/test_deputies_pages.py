"""The deputies' pages and API: the lists (in force, coming, past; paged), appointing through the form (errors by
field, nothing changed), a deputyship's page with its end moved and ended early, the people picker, the API with
real tokens and their scopes, and everyone but an administrator refused (403, nothing changed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.core.events.models import Event
from krai.org.models import Deputyship, Role
from krai.org.services import deputies as services
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HOME = "/workspace/administration/deputies/"
API = "/api/v1/administration/deputies/"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "public_write": "1000/min"}}


def staff(surname: str, role: str = Role.HEAD):
    user = StaffFactory(surname=surname, given_name="Анна", patronymic="Сергеевна")
    if role == Role.ADMINISTRATOR:
        assign(user, role)
    else:
        assign(user, role, organisation=OrganisationFactory())
    return user


@pytest.fixture
def people():
    return {"admin": staff("Админова", Role.ADMINISTRATOR), "principal": staff("Орлова"), "deputy": staff("Соколова"),
            "other": staff("Лебедева")}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def appoint(people, *, start=0, end=5, deputy=None, reason=""):
    return services.deputyship_appoint(actor=people["admin"], principal=people["principal"],
                                       deputy=deputy or people["deputy"], starts_on=TODAY + timedelta(days=start),
                                       ends_on=TODAY + timedelta(days=end), reason=reason)


def form(people, **kw):
    return {"principal": people["principal"].pk, "deputy": people["deputy"].pk, "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + timedelta(days=4)).isoformat(), "reason": "Отпуск", **kw}


def test_the_lists_in_force_coming_and_past(people):
    now = appoint(people, reason="<b>Отпуск</b>")
    appoint(people, start=10, end=12, deputy=people["other"])
    ended = appoint(people, start=20, end=21)
    services.deputyship_end(actor=people["admin"], deputyship=ended)
    page = signed_in(people["admin"]).get(HOME)
    text = page.content.decode()
    assert page.status_code == 200
    now_table = text.split('id="krai-deputies-now-table"')[1].split("</table>")[0]
    coming_table = text.split('id="krai-deputies-coming-table"')[1].split("</table>")[0]
    past_table = text.split('id="krai-deputies-past-table"')[1].split("</table>")[0]
    assert f"/deputies/{now.pk}/" in now_table and "Соколова" in now_table
    assert "Лебедева" in coming_table and f"/deputies/{ended.pk}/" in past_table and "ended early" in past_table
    assert "&lt;b&gt;Отпуск&lt;/b&gt;" in text and "<b>Отпуск</b>" not in text


def test_the_past_list_pages_and_reaches_every_item(people):
    rows = [Deputyship(principal=people["principal"], deputy=people["deputy"],
                       starts_on=TODAY - timedelta(days=2 * n + 2), ends_on=TODAY - timedelta(days=2 * n + 1))
            for n in range(30)]
    Deputyship.objects.bulk_create(rows)
    client = signed_in(people["admin"])
    first, second = client.get(HOME).content.decode(), client.get(HOME, {"page": 2}).content.decode()
    ids = {row.pk for row in Deputyship.objects.all()}
    seen = {pk for pk in ids if f"/deputies/{pk}/" in first or f"/deputies/{pk}/" in second}
    assert seen == ids and 'rel="next"' in first


def test_appointing_through_the_form(people):
    client = signed_in(people["admin"])
    page = client.get(f"{HOME}new/").content.decode()
    assert 'data-krai-picker="/workspace/administration/deputies/people/?purpose=deputy"' in page
    assert 'for="id_principal"' in page and 'for="id_ends_on"' in page
    response = client.post(f"{HOME}new/", form(people))
    item = Deputyship.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{HOME}{item.pk}/"
    assert (item.principal, item.deputy, item.reason) == (people["principal"], people["deputy"], "Отпуск")
    assert Event.objects.filter(kind="org.deputy_appointed").count() == 1


@pytest.mark.parametrize("change, field, words", [
    ({"deputy": "principal"}, "deputy", "own deputy"),
    ({"starts_on": (TODAY - timedelta(days=1)).isoformat()}, "starts_on", "in the past"),
    ({"ends_on": (TODAY - timedelta(days=3)).isoformat(), "starts_on": TODAY.isoformat()}, "ends_on",
     "before the start"),
    ({"ends_on": ""}, "ends_on", "required"),
])
def test_a_bad_form_shows_the_error_by_its_field_and_changes_nothing(people, change, field, words):
    if change.get("deputy") == "principal":
        change = {"deputy": people["principal"].pk}
    response = signed_in(people["admin"]).post(f"{HOME}new/", form(people, **change))
    assert response.status_code == 400 and not Deputyship.objects.exists() and not Event.objects.exists()
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])


def test_the_people_picker_searches_the_staff(people):
    UserFactory(surname="Соколов-житель")  # not staff: never offered
    client = signed_in(people["admin"])
    found = client.get(f"{HOME}people/", {"purpose": "deputy", "q": "сокол"}).json()
    assert [row["id"] for row in found["results"]] == [people["deputy"].pk] and found["more"] is False
    assert signed_in(people["other"]).get(f"{HOME}people/", {"q": "сокол"}).status_code == 403


def test_a_deputyships_page_changes_its_end_and_ends_it(people):
    item = appoint(people)
    client = signed_in(people["admin"])
    page = client.get(f"{HOME}{item.pk}/").content.decode()
    assert "in force" in page and "Nothing done while acting." in page
    bad = client.post(f"{HOME}{item.pk}/change/", {"ends_on": (TODAY - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and "in the past" in " ".join(bad.context["change_form"].errors["ends_on"])
    later = TODAY + timedelta(days=9)
    assert client.post(f"{HOME}{item.pk}/change/", {"ends_on": later.isoformat()}).status_code == 302
    item.refresh_from_db()
    assert item.ends_on == later
    assert client.post(f"{HOME}{item.pk}/end/").status_code == 302
    item.refresh_from_db()
    assert item.ended_at is not None
    again = client.post(f"{HOME}{item.pk}/end/", follow=True).content.decode()
    assert "already been ended" in again and "End the deputyship now" not in again
    assert client.get(f"{HOME}999999/").status_code == 404


@pytest.mark.parametrize("who", ["head", "controller", "citizen"])
def test_anyone_but_an_administrator_is_refused_and_nothing_changes(people, who):
    item = appoint(people)
    user = {"head": people["other"], "citizen": UserFactory()}.get(who)
    if user is None:
        user = StaffFactory()
        assign(user, Role.CONTROLLER)
    client = signed_in(user)
    before = (Deputyship.objects.count(), Event.objects.count())
    for url in (HOME, f"{HOME}new/", f"{HOME}{item.pk}/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{HOME}new/", form(people, deputy=people["other"].pk)).status_code == 403
    assert client.post(f"{HOME}{item.pk}/end/").status_code == 403
    assert client.post(f"{HOME}{item.pk}/change/", {"ends_on": TODAY.isoformat()}).status_code == 403
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    assert api.get(API).status_code == 403
    assert api.post(API, form(people, deputy=people["other"].pk), format="json").status_code == 403
    assert api.post(f"{API}{item.pk}/end/").status_code == 403
    assert (Deputyship.objects.count(), Event.objects.count()) == before
    item.refresh_from_db()
    assert item.ended_at is None
    assert "workspace/administration/deputies" not in client.get("/workspace/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in():
    assert Client().get(HOME).status_code == 302
    assert APIClient().get(API).status_code == 401


def test_the_api_with_tokens(people):
    _token, key = make_token(people["admin"], scopes=("read", "write", "administration:write"))
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {key}")
    created = api.post(API, form(people), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["principal"]["id"] == people["principal"].pk and body["state"] == "in_force"
    pk = body["id"]
    listed = api.get(API, {"state": "in_force"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == pk
    assert api.get(API, {"state": "coming"}).json()["count"] == 0
    assert api.get(f"{API}{pk}/").json()["deputy"]["email"] == people["deputy"].email
    moved = api.patch(f"{API}{pk}/", {"ends_on": (TODAY + timedelta(days=8)).isoformat()}, format="json")
    assert moved.status_code == 200 and moved.json()["ends_on"] == (TODAY + timedelta(days=8)).isoformat()
    ended = api.post(f"{API}{pk}/end/")
    assert ended.status_code == 200 and ended.json()["state"] == "ended"
    again = api.post(f"{API}{pk}/end/").json()["error"]
    assert again["status"] == 400 and "already been ended" in again["message"]
    bad = api.post(API, form(people, deputy=people["principal"].pk), format="json").json()["error"]
    assert bad["status"] == 400 and "own deputy" in bad["fields"]["deputy"][0]
    assert api.get(API, {"state": "someday"}).status_code == 400
    assert api.get(f"{API}999999/").status_code == 404


def test_the_api_token_needs_the_administration_write_scope(people):
    _token, key = make_token(people["admin"], scopes=("read", "write"))
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(API).status_code == 200
    refused = api.post(API, form(people), format="json")
    assert refused.status_code == 403 and "administration:write" in refused.json()["error"]["message"]
    assert not Deputyship.objects.exists()
