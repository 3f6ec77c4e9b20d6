"""Open311 GeoReport v2: what a client written for the standard reads and posts, in JSON and XML."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krai.core.files.models import Attachment
from krai.org.tests.factories import UserFactory
from krai.problems import services
from krai.problems.models import Open311Key, Problem

REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


@pytest.fixture
def key(world):
    _key, value = Open311Key.issue(name="Городское приложение", user=UserFactory(email_confirmed=False))
    return value


@pytest.fixture
def published(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма на перекрёстке, опасно для велосипедистов",
                                      address="ул. Мира, 1")
    return services.problem_publish(actor=world["moderator"], problem=problem)


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml")
    return ET.fromstring(response.content)  # noqa: S314  (our own server's answer)


def test_discovery(client, world):
    body = client.get("/open311/v2/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")
    assert xml(client.get("/open311/v2/discovery.xml")).tag == "discovery"


def test_services_json_and_xml(client, world):
    body = client.get("/open311/v2/services.json").json()
    codes = {s["service_code"] for s in body}
    assert codes == {"pothole", "light"}  # leaves only: "roads" is a group
    pothole = next(s for s in body if s["service_code"] == "pothole")
    assert set(pothole) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert pothole["metadata"] is False and pothole["type"] == "realtime" and pothole["group"] == "Дороги"
    root = xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services" and {e.tag for e in root} == {"service"}
    assert {e.findtext("service_code") for e in root} == {"pothole", "light"}
    assert root.find("service").findtext("metadata") in ("true", "false")


def test_service_definition_and_unknown_service(client, world):
    body = client.get("/open311/v2/services/pothole.json").json()
    assert body["service_code"] == "pothole" and body["attributes"] == []
    assert xml(client.get("/open311/v2/services/pothole.xml")).tag == "service_definition"
    response = client.get("/open311/v2/services/nope.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_requests_list_and_one(client, published):
    body = client.get("/open311/v2/requests.json").json()
    assert len(body) == 1
    item = body[0]
    assert set(item) == REQUEST_FIELDS
    assert item["service_request_id"] == str(published.pk) and isinstance(item["service_request_id"], str)
    assert item["status"] == "open" and item["service_code"] == "pothole"
    assert item["lat"] == 45.0 and item["long"] == 38.0
    assert item["expected_datetime"].startswith(published.due_date.isoformat())
    assert item["agency_responsible"] == published.organisation.name
    root = xml(client.get(f"/open311/v2/requests/{published.pk}.xml"))
    assert root.tag == "service_requests" and root[0].tag == "request"
    assert root[0].findtext("service_request_id") == str(published.pk)
    assert client.get("/open311/v2/requests/999999.json").status_code == 404


def test_requests_filters(client, published, world):
    assert client.get("/open311/v2/requests.json?status=closed").json() == []
    assert len(client.get("/open311/v2/requests.json?status=open&service_code=pothole").json()) == 1
    assert client.get("/open311/v2/requests.json?service_code=light").json() == []
    assert len(client.get("/open311/v2/requests.json?service_code=&status=").json()) == 1  # empty = absent
    assert len(client.get(f"/open311/v2/requests.json?service_request_id={published.pk},0&status=closed").json()) == 1
    assert client.get("/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-12-31T00:00:00Z"
                      ).status_code == 400  # more than 90 days
    assert client.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400
    assert client.get("/open311/v2/requests.json?status=pending").status_code == 400
    assert len(client.get("/open311/v2/requests.json?page_size=1&page=1").json()) == 1
    assert client.get("/open311/v2/requests.json?page_size=1&page=2").json() == []


def test_unpublished_requests_are_not_listed(client, world):
    services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                            description="Яма у школы номер пять, глубокая")
    assert client.get("/open311/v2/requests.json").json() == []


def test_extensions_add_notes(client, published):
    item = client.get("/open311/v2/requests.json?extensions=true").json()[0]
    assert item["extended_attributes"]["external_status_code"] == "INVESTIGATING"
    assert [n["type"] for n in item["notes"]] == ["reported", "published"]


def test_post_request_then_token(client, world, key, make_png):
    response = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "pothole", "lat": "45.02", "long": "38.01",
        "description": "Разбит асфальт на тротуаре возле аптеки", "email": "resident@example.ru",
        "first_name": "Анна", "last_name": "Петрова", "address_string": "ул. Ленина, 3", "media": make_png()})
    assert response.status_code == 201
    body = response.json()
    assert len(body) == 1 and "token" in body[0] and "service_request_id" not in body[0]
    problem = Problem.objects.get()
    assert problem.source == "open311" and problem.reporter_email == "resident@example.ru"
    assert Attachment.objects.filter(object_id=str(problem.pk)).count() == 1
    token = body[0]["token"]
    assert client.get(f"/open311/v2/tokens/{token}.json").json() == [{"service_request_id": "", "token": token}]
    services.problem_publish(actor=world["moderator"], problem=problem)
    root = xml(client.get(f"/open311/v2/tokens/{token}.xml"))
    assert root.tag == "service_requests" and root[0].findtext("service_request_id") == str(problem.pk)
    assert client.get("/open311/v2/tokens/nope.json").status_code == 404


def test_post_xml_answer(client, world, key):
    response = client.post("/open311/v2/requests.xml?api_key=" + key, {
        "service_code": "light", "lat": "45.0", "long": "38.0", "description": "Не горят три фонаря подряд"})
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests" and root[0].tag == "request" and root[0].findtext("token")


@pytest.mark.parametrize("fields,status", [
    ({"service_code": "pothole", "lat": "45", "long": "38", "description": "Яма у дома номер семь"}, 403),  # no key
    ({"api_key": "wrong", "service_code": "pothole", "lat": "45", "long": "38",
      "description": "Яма у дома номер семь"}, 403),
    ({"lat": "45", "long": "38", "description": "Яма у дома номер семь"}, 400),  # no service_code
    ({"service_code": "nope", "lat": "45", "long": "38", "description": "Яма у дома номер семь"}, 404),
    ({"service_code": "pothole", "address_string": "ул. Мира, 1", "description": "Яма у дома номер семь"}, 400),
    ({"service_code": "pothole", "lat": "10", "long": "10", "description": "Яма у дома номер семь"}, 400),
    ({"service_code": "pothole", "lat": "45", "long": "38", "description": ""}, 400),
])
def test_bad_posts_change_nothing(client, world, key, fields, status):
    if "api_key" not in fields and status != 403:
        fields = {"api_key": key, **fields}
    for fmt in ("json", "xml"):
        response = client.post(f"/open311/v2/requests.{fmt}", fields)
        assert response.status_code == status
        if fmt == "json":
            errors = json.loads(response.content)
            assert errors[0]["code"] == status and errors[0]["description"]
        else:
            root = xml(response)
            assert root.tag == "errors" and root[0].tag == "error"
            assert root[0].findtext("code") == str(status) and root[0].findtext("description")
    assert not Problem.objects.exists()


def test_a_photo_that_is_not_an_image(client, world, key):
    text = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "pothole", "lat": "45", "long": "38",
        "description": "Яма у дома номер семь", "media": text})
    assert response.status_code == 400
    assert not Problem.objects.exists() and not Attachment.objects.exists()


def test_service_request_updates(client, published, world):
    services.problem_answer(actor=world["executor"], problem=published, answer="fixed", text="Яма заделана")
    body = client.get("/open311/v2/servicerequestupdates.json").json()
    assert [u["external_status_code"] for u in body] == ["INVESTIGATING", "FIXED"]
    assert body[-1]["status"] == "closed" and body[-1]["service_request_id"] == str(published.pk)
    assert xml(client.get("/open311/v2/servicerequestupdates.xml")).tag == "service_request_updates"


def test_unknown_format_is_not_found(client, world):
    assert client.get("/open311/v2/services.csv").status_code == 404


def test_post_with_an_accounts_api_token(client, world):
    from krai.accounts import services as account_services

    user = world["resident"]
    issued = account_services.token_create(actor=user, user=user, name="Open311 app",
                                           scopes=["read", "write", "problems:write"])
    reader = account_services.token_create(actor=user, user=user, name="Reader", scopes=["read"])
    other_area = account_services.token_create(actor=user, user=user, name="Open data",
                                               scopes=["read", "write", "opendata:write"])
    fields = {"service_code": "pothole", "lat": "45", "long": "38", "description": "Яма у дома номер семь"}
    assert client.post("/open311/v2/requests.json", {**fields, "api_key": reader.key}).status_code == 403
    assert client.post("/open311/v2/requests.json", {**fields, "api_key": other_area.key}).status_code == 403
    assert not Problem.objects.exists()
    response = client.post("/open311/v2/requests.json", {**fields, "api_key": issued.key})
    assert response.status_code == 201
    assert Problem.objects.get().author == user
