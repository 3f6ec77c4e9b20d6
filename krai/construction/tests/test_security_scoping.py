"""Who may do what, through the API and the pages, and that a refusal changes nothing:

* a resident cannot inspect a request, cancel one, keep the registries (objects, illegal constructions, measures,
  imports) or enter and move works;
* the staff of another body cannot inspect a request addressed to the inspection body of its object — nor see it in
  their queue;
* a body's staff cannot change, move or add files to another body's work;
* what the caller may not touch answers like what does not exist (the same 404, word for word), and pages' writes
  are POST-only and CSRF-checked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from krai.construction.models import Inspection, RequestStatus, VerificationRequest, WorkStatus
from krai.construction.tests.factories import (
    LAT,
    LON,
    body_staff,
    construction_object,
    illegal_construction,
    inspection_body,
    inspector,
    keeper,
    municipality,
    resident,
    work,
)
from krai.construction.tests.test_journey_api import (
    BASE,
    FOUND,
    IMPORTS,
    TODAY,
    client_of,
    filing,
    png,
    visit,
    work_values,
    xlsx,
)
from krai.orders.models import Status
from krai.orders.selectors import control_for_subject
from krai.org.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
WATCHED = {"construction", "orders", "events", "files", "imports", "notifications"}
MOVES = ("start", "suspend", "resume", "complete", "reschedule")


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label in WATCHED}


def signed_in(user: Any, **options: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **options)
    client.force_login(user)
    return client


@pytest.fixture
def place() -> Any:
    inspection_body()
    return municipality()


def _filed(body: Any, place: Any) -> Any:
    """A request about an object whose own inspection body is ``body`` (its assignment goes to that body)."""
    building = construction_object(municipality=place, inspection_body=body)
    api = APIClient()
    api.force_authenticate(resident())
    answer = api.post(f"{BASE}/requests/", filing(reason="differs", object=building.pk), format="json")
    assert answer.status_code == 201, answer.content
    return VerificationRequest.objects.get(pk=answer.json()["id"])


def test_a_resident_can_neither_inspect_nor_keep_the_registry_nor_move_works(place: Any) -> None:
    request = _filed(OrganisationFactory(), place)
    building, entry = request.object, illegal_construction(municipality=place)
    road = work(municipality=place, status=WorkStatus.IN_PROGRESS, actual_start=TODAY)
    person = resident()
    api = client_of(person, ["read", "write", "construction:write", "imports:write"])
    before = _counts()
    today = TODAY.isoformat()
    refusals = [
        ("post", f"requests/{request.pk}/inspect/", visit(), 403),
        ("post", f"requests/{request.pk}/cancel/", {"reason": "Дубль"}, 403),
        ("post", "objects/", {"name": "Дом", "address": "Краснодар, ул. Новая, 1", "lat": LAT, "lon": LON}, 403),
        ("patch", f"objects/{building.pk}/", {"stage": "commissioned"}, 403),
        ("post", f"objects/{building.pk}/files/", {"kind": "photo", "file": png()}, 403),
        ("post", "illegal/", {"address": "Краснодар, у рынка", "found_on": today}, 403),
        ("patch", f"illegal/{entry.pk}/", {"status": "demolished"}, 403),
        ("post", f"illegal/{entry.pk}/measures/", {"kind": "demolished", "taken_on": today}, 403),
        ("post", "works/", work_values(road.responsible_body), 403),
        # a work's staff writes answer 404 to those who do not manage it, like a missing work
        ("patch", f"works/{road.pk}/", {"contractor": "Чужой"}, 404),
        *[("post", f"works/{road.pk}/{move}/", {"reason": "x", "planned_start": today, "planned_end": today}, 404)
          for move in MOVES],
        ("post", f"works/{road.pk}/files/", {"kind": "photo", "file": png()}, 404),
    ]
    wrong = []
    for method, path, data, code in refusals:
        form = "multipart" if path.endswith("files/") else "json"
        response = getattr(api, method)(f"{BASE}/{path}", data, format=form)
        if response.status_code != code or "error" not in response.json():
            wrong.append(f"{method} {path}: {response.status_code}")
    imported = api.post(IMPORTS, {"file": xlsx([["Краснодар, ул. Садовая, 3", None, LAT, LON, FOUND, None, None,
                                                 None, None]])}, format="multipart")
    assert imported.status_code == 403, imported.content
    assert not wrong, "\n".join(wrong)
    assert _counts() == before
    road.refresh_from_db()
    request.refresh_from_db()
    assert (road.status, road.contractor, request.status) == (WorkStatus.IN_PROGRESS, "ООО «ДорСтрой»", "open")
    # the pages refuse him too, and change nothing
    page = signed_in(person)
    assert page.get(reverse("construction:request_inspect", args=[request.pk])).status_code == 403
    assert page.post(reverse("construction:request_cancel", args=[request.pk]), {"reason": "x"}).status_code == 404
    assert page.get(reverse("construction:object_edit", args=[building.pk])).status_code == 404
    assert page.post(reverse("construction:illegal_new"), {"address": "x"}).status_code == 403
    assert page.post(reverse("construction:work_move", args=[road.pk, "complete"]), {}).status_code == 404
    assert _counts() == before


def test_the_staff_of_another_body_cannot_inspect_nor_see_the_request_queued(place: Any) -> None:
    own_body, other_body = OrganisationFactory(name="Инспекция района"), OrganisationFactory(name="Чужой орган")
    request = _filed(own_body, place)
    stranger = inspector(other_body)
    stranger_api = client_of(stranger)
    before = _counts()
    answer = stranger_api.post(f"{BASE}/requests/{request.pk}/inspect/", visit(), format="json")
    assert answer.status_code == 403 and "inspection body" in answer.json()["error"]["message"]
    page = signed_in(stranger)
    url = reverse("construction:request_inspect", args=[request.pk])
    missing = reverse("construction:request_inspect", args=[request.pk + 1000])
    assert page.get(url).status_code == page.get(missing).status_code == 404
    assert page.post(url, {**visit(), "photos": []}).status_code == 404
    assert _counts() == before
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN and not Inspection.objects.exists()
    assert control_for_subject(request).status == Status.ISSUED
    # his queue is his body's: neither the workspace nor the control engine's list shows it
    assert request.address not in page.get(reverse("construction:workspace")).content.decode()
    listed = stranger_api.get("/api/v1/orders/assignments/", {"kind": "construction"}).json()
    assert listed["count"] == 0
    own = client_of(inspector(own_body)).get("/api/v1/orders/assignments/", {"kind": "construction"}).json()
    assert [row["subject_id"] for row in own["results"]] == [str(request.pk)]
    assert request.address in signed_in(inspector(own_body)).get(reverse("construction:workspace")).content.decode()


def test_a_bodys_staff_cannot_touch_another_bodys_work_and_it_answers_like_a_missing_one(place: Any) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    staff = body_staff(mine)
    own = work(municipality=place, responsible_body=mine)
    other = work(municipality=place, responsible_body=theirs, status=WorkStatus.IN_PROGRESS, actual_start=TODAY)
    api = client_of(staff)
    before = _counts()
    later = (TODAY + timedelta(days=200)).isoformat()
    for path, data in [("", {"contractor": "Чужой"}), ("start/", {}), ("suspend/", {"reason": "x"}),
                       ("complete/", {}), ("reschedule/", {"planned_start": TODAY.isoformat(), "planned_end": later,
                                                           "reason": "x"})]:
        method = api.patch if not path else api.post
        hidden = method(f"{BASE}/works/{other.pk}/{path}", data, format="json")
        missing = method(f"{BASE}/works/{other.pk + 1000}/{path}", data, format="json")
        assert hidden.status_code == missing.status_code == 404, (path, hidden.content)
        assert hidden.json() == missing.json()
    hidden = api.post(f"{BASE}/works/{other.pk}/files/", {"kind": "photo", "file": png()}, format="multipart")
    assert hidden.status_code == 404
    moved = api.patch(f"{BASE}/works/{own.pk}/", {"responsible_body": theirs.pk}, format="json")
    assert moved.status_code == 400 and "responsible_body" in moved.json()["error"]["fields"]
    entered = api.post(f"{BASE}/works/", work_values(theirs), format="json")
    assert entered.status_code == 400 and "responsible_body" in entered.json()["error"]["fields"]
    page = signed_in(staff)
    for url in (reverse("construction:work_edit", args=[other.pk]),
                reverse("construction:work_edit", args=[other.pk + 1000])):
        assert page.get(url).status_code == 404
    assert page.post(reverse("construction:work_move", args=[other.pk, "complete"]), {}).status_code == 404
    assert _counts() == before
    other.refresh_from_db()
    own.refresh_from_db()
    assert (other.status, other.contractor, own.responsible_body) == (WorkStatus.IN_PROGRESS, "ООО «ДорСтрой»", mine)
    assert page.get(reverse("construction:work_edit", args=[own.pk])).status_code == 200


def test_reads_of_what_does_not_exist_answer_404_alike(place: Any) -> None:
    api = APIClient()
    for path in ("requests/999999/", "objects/999999/", "objects/999999/history/", "illegal/999999/",
                 "works/999999/"):
        response = api.get(f"{BASE}/{path}")
        assert response.status_code == 404 and "error" in response.json(), path
    client = Client()
    for name in ("request", "object", "illegal", "work"):
        assert client.get(reverse(f"construction:{name}", args=[999999])).status_code == 404, name


def test_page_writes_need_post_and_csrf(place: Any) -> None:
    road = work(municipality=place, status=WorkStatus.COMPLETED, actual_start=TODAY, actual_end=TODAY)
    person = resident()
    client = signed_in(person, enforce_csrf_checks=True)
    for url, data in [(reverse("construction:work_subscribe", args=[road.pk]), {}),
                      (reverse("construction:work_rate", args=[road.pk]), {"score": 5})]:
        assert client.get(url).status_code == 405, url
        assert client.post(url, data).status_code == 403, url
    officer = signed_in(keeper(), enforce_csrf_checks=True)
    request = _filed(OrganisationFactory(), place)
    url = reverse("construction:request_cancel", args=[request.pk])
    assert officer.get(url).status_code == 405
    assert officer.post(url, {"reason": "Дубль"}).status_code == 403
    road.refresh_from_db()
    request.refresh_from_db()
    assert (road.ratings_count, road.subscriptions.count(), request.status) == (0, 0, "open")
