"""The verification API: filing (multipart with photos), the inspector's answer, a keeper's cancellation, the
public list and detail, what is nearby; who may do what, bad input changes nothing, token scopes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from krai.accounts.tests.factories import make_token
from krai.construction.models import IllegalConstruction, Inspection, RequestStatus, VerificationRequest
from krai.construction.tests.factories import (
    LAT,
    LON,
    construction_object,
    inspection_body,
    inspector,
    keeper,
    municipality,
    resident,
    verification_request,
)
from krai.construction.tests.test_verification_services import METRE, file_one, png
from krai.orders import selectors as control_selectors
from krai.orders.models import Status
from krai.org.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/construction/requests/"


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def place():
    inspection_body()
    return municipality()


def filing(**fields) -> dict:
    return {"reason": "missing", "address": "Краснодар, ул. Северная, 5", "lat": LAT, "lon": LON,
            "description": "Строят дом без разрешения.", **fields}


def test_file_inspect_and_read_the_result(place):
    body = OrganisationFactory()
    building = construction_object(municipality=place, inspection_body=body)
    author = UserFactory(given_name="Мария", surname="Подгорная")
    answer = signed_in(author).post(API, {**filing(reason="differs", object=building.pk, observed_floors=11),
                                          "photos": [png(), png("b.png")]})
    assert answer.status_code == 201, answer.content
    data = answer.json()
    request = VerificationRequest.objects.get()
    assert data["id"] == request.pk and data["status"] == "open" and data["inspection_body"]["id"] == body.pk
    assert data["due_date"] == control_selectors.control_for_subject(request).deadline.isoformat()
    assert len(data["photos"]) == 2 and data["author"] == "Мария П." and data["inspection"] is None

    stranger = signed_in(inspector(OrganisationFactory()))
    visit = {"visited_on": timezone.localdate().isoformat(), "findings": "Одиннадцать этажей.",
             "decision": "illegal", "floors_found": 11}
    refused = stranger.post(f"{API}{request.pk}/inspect/", visit, content_type="application/json")
    assert refused.status_code == 403 and not Inspection.objects.exists()
    answer = signed_in(inspector(body)).post(f"{API}{request.pk}/inspect/", {**visit, "photos": [png("v.png")]})
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["status"] == "resolved" and data["inspection"]["decision"] == "illegal"
    assert len(data["inspection"]["photos"]) == 1 and data["illegal_id"] == IllegalConstruction.objects.get().pk
    assert control_selectors.control_for_subject(request).status == Status.DONE
    again = signed_in(inspector(body)).post(f"{API}{request.pk}/inspect/", visit, content_type="application/json")
    assert again.status_code == 400 and "already verified" in again.json()["error"]["message"]
    public = Client().get(f"{API}{request.pk}/").json()
    assert public["inspection"]["findings"] == "Одиннадцать этажей." and "Подгорная" not in str(public)


def test_refusals_answer_with_the_reason_and_change_nothing(place):
    outside = signed_in(resident()).post(API, filing(lat=LAT + 5, lon=LON + 5), content_type="application/json")
    assert outside.status_code == 400 and "lat" in outside.json()["error"]["fields"]
    differs = signed_in(resident()).post(API, filing(reason="differs"), content_type="application/json")
    assert differs.status_code == 400 and "object" in differs.json()["error"]["fields"]
    unconfirmed = signed_in(UserFactory(email_confirmed=False)).post(API, filing(), content_type="application/json")
    assert unconfirmed.status_code == 403
    assert Client().post(API, filing(), content_type="application/json").status_code in (401, 403)
    assert not VerificationRequest.objects.exists()


def test_the_rate_limit_answers_429(place, settings):
    settings.KRAI_CONSTRUCTION_REQUEST_RATE = "1/d"
    client = signed_in(resident())
    assert client.post(API, filing(), content_type="application/json").status_code == 201
    assert client.post(API, filing(), content_type="application/json").status_code == 429
    assert VerificationRequest.objects.count() == 1


def test_writes_by_token_need_the_construction_scope(place):
    author = resident()
    narrow = make_token(author, scopes=["read", "write"], name="narrow")[1]
    answer = Client().post(API, filing(), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {narrow}")
    assert answer.status_code == 403 and not VerificationRequest.objects.exists()
    full = make_token(author, scopes=["read", "write", "construction:write"], name="full")[1]
    answer = Client().post(API, filing(), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {full}")
    assert answer.status_code == 201
    request = VerificationRequest.objects.get()
    officer = inspector()
    visit = {"visited_on": timezone.localdate().isoformat(), "findings": "Законно.", "decision": "legal"}
    narrow = make_token(officer, scopes=["read", "write"], name="narrow")[1]
    answer = Client().post(f"{API}{request.pk}/inspect/", visit, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {narrow}")
    assert answer.status_code == 403 and not Inspection.objects.exists()
    full = make_token(officer, scopes=["read", "write", "construction:write"], name="full")[1]
    answer = Client().post(f"{API}{request.pk}/inspect/", visit, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {full}")
    assert answer.status_code == 201 and answer.json()["inspection"]["decision"] == "legal"


def test_a_keeper_cancels(place):
    request = file_one(resident())
    url = f"{API}{request.pk}/cancel/"
    assert signed_in(request.author).post(url, {"reason": "Дубль"}, content_type="application/json").status_code == 403
    assert signed_in(keeper()).post(url, {"reason": ""}, content_type="application/json").status_code == 400
    assert VerificationRequest.objects.get().status == RequestStatus.OPEN
    answer = signed_in(keeper()).post(url, {"reason": "Дубль № 1"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert signed_in(keeper()).post(f"{API}999999/cancel/", {"reason": "x"},
                                    content_type="application/json").status_code == 404


def test_the_list_filters_and_pages_and_nearby(place):
    made = {verification_request().pk for _ in range(5)}
    resolved = verification_request(status=RequestStatus.RESOLVED)
    seen, url = set(), f"{API}?page_size=2"
    while url:
        answer = Client().get(url).json()
        seen |= {row["id"] for row in answer["results"]}
        url = answer["next"]
    assert seen == made | {resolved.pk}
    rows = Client().get(f"{API}?status=resolved").json()["results"]
    assert [row["id"] for row in rows] == [resolved.pk]
    assert Client().get(f"{API}?status=nonsense").status_code == 400
    assert Client().get(f"{API}999999/").status_code == 404
    near = construction_object(municipality=place, lat=LAT + 10 * METRE, lon=LON)
    further = construction_object(municipality=place, lat=LAT + 200 * METRE, lon=LON)
    data = Client().get(f"/api/v1/construction/nearby/?lat={LAT}&lon={LON}").json()
    assert [o["id"] for o in data["objects"]] == [near.pk, further.pk]
    assert Client().get("/api/v1/construction/nearby/?lat=91&lon=0").status_code == 400
