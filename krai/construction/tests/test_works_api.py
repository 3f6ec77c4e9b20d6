"""The works' API: the list with filters (paged), entering and changing a work, the moves, files, subscriptions and
ratings, the statistics; errors in the one format, another body's work 404 for its writes (nothing changed), token
scopes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.construction.models import Work, WorkRating, WorkStatus, WorkSubscription
from krai.construction.tests.factories import LAT, LON, body_staff, municipality, resident, work
from krai.core.files.models import Attachment
from krai.org.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/construction/works"
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "public_write": "1000/min"}}


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_list_is_public_filtered_and_paged() -> None:
    town = municipality()
    road = work(municipality=town, street="Красная")
    work(municipality=town, kind="yard", street="Северная")
    data = api().get(f"{API}/", {"kind": "road", "page_size": 1}).json()
    assert data["count"] == 1 and data["results"][0]["id"] == road.pk
    assert data["results"][0]["late"] == {"start": 0, "end": 0}
    assert api().get(f"{API}/", {"street": "красная"}).json()["count"] == 1
    assert api().get(f"{API}/", {"outcome": "slipping"}).json()["count"] == 0
    bad = api().get(f"{API}/", {"kind": "castle"})
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]
    detail = api().get(f"{API}/{road.pk}/").json()
    assert detail["documents"] == [] and detail["responsible_body_name"] == road.responsible_body.name
    assert api().get(f"{API}/999999/").status_code == 404


def test_staff_enter_change_and_move_a_work() -> None:
    municipality()
    body = OrganisationFactory()
    client = api(body_staff(body))
    values = {"name": "Ремонт ул. Мира", "kind": "road", "address": "Краснодар, ул. Мира", "lat": LAT, "lon": LON,
              "responsible_body": body.pk, "planned_start": TODAY.isoformat(),
              "planned_end": (TODAY - timedelta(days=3)).isoformat()}
    refused = client.post(f"{API}/", values, format="json")
    assert refused.status_code == 400 and "planned_end" in refused.json()["error"]["fields"]
    values["planned_end"] = (TODAY + timedelta(days=30)).isoformat()
    created = client.post(f"{API}/", values, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    changed = client.patch(f"{API}/{pk}/", {"contractor": "ООО «Асфальт»", "note": "Контракт"}, format="json")
    assert changed.status_code == 200 and changed.json()["contractor"] == "ООО «Асфальт»"
    assert client.post(f"{API}/{pk}/start/", {}, format="json").json()["status"] == WorkStatus.IN_PROGRESS
    moved = client.post(f"{API}/{pk}/reschedule/", {"planned_start": TODAY.isoformat(),
                                                     "planned_end": (TODAY + timedelta(days=60)).isoformat(),
                                                     "reason": "Зима"}, format="json")
    assert moved.json()["planned_end"] == (TODAY + timedelta(days=60)).isoformat()
    assert client.post(f"{API}/{pk}/suspend/", {}, format="json").status_code == 400
    assert client.post(f"{API}/{pk}/suspend/", {"reason": "Дожди"}, format="json").json()["status"] == "suspended"
    assert client.post(f"{API}/{pk}/resume/", {}, format="json").json()["status"] == "in_progress"
    upload = client.post(f"{API}/{pk}/files/", {"kind": "document", "file": SimpleUploadedFile("akt.pdf", PDF)},
                         format="multipart")
    assert upload.status_code == 201 and upload.json()["name"] == "akt.pdf"
    done = client.post(f"{API}/{pk}/complete/", {"on": TODAY.isoformat()}, format="json").json()
    assert done["status"] == "completed" and done["actual_end"] == TODAY.isoformat()
    assert [d["name"] for d in done["documents"]] == ["akt.pdf"]


def test_another_bodys_staff_get_404_and_nothing_changes() -> None:
    item = work()
    client = api(body_staff())
    assert client.patch(f"{API}/{item.pk}/", {"name": "Чужое"}, format="json").status_code == 404
    for action in ("start", "complete", "suspend", "resume", "reschedule"):
        assert client.post(f"{API}/{item.pk}/{action}/", {}, format="json").status_code == 404
    upload = client.post(f"{API}/{item.pk}/files/", {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert upload.status_code == 404
    refused = client.post(f"{API}/", {"name": "x", "kind": "road", "address": "x", "lat": LAT, "lon": LON,
                                      "responsible_body": item.responsible_body_id,
                                      "planned_start": TODAY.isoformat(), "planned_end": TODAY.isoformat()},
                          format="json")
    assert refused.status_code == 400 and "responsible_body" in refused.json()["error"]["fields"]
    assert api(resident()).post(f"{API}/", {}, format="json").status_code in (400, 403)
    assert api().post(f"{API}/{item.pk}/start/").status_code == 401
    item.refresh_from_db()
    assert (item.name, item.status) == ("Ремонт ул. Ставропольской", WorkStatus.PLANNED)
    assert Work.objects.count() == 1 and not Attachment.objects.exists()


def test_residents_subscribe_and_rate() -> None:
    item = work()
    person = resident()
    client = api(person)
    assert client.post(f"{API}/{item.pk}/subscribe/").status_code == 201
    assert client.post(f"{API}/{item.pk}/subscribe/").status_code == 200
    assert client.post(f"{API}/{item.pk}/unsubscribe/").json() == {"work": item.pk, "subscribed": False}
    assert not WorkSubscription.objects.exists()
    early = client.post(f"{API}/{item.pk}/rate/", {"score": 5}, format="json")
    assert early.status_code == 400 and "once it is completed" in early.json()["error"]["message"]
    Work.objects.filter(pk=item.pk).update(status=WorkStatus.COMPLETED, planned_start=TODAY, planned_end=TODAY,
                                           actual_start=TODAY, actual_end=TODAY)
    first = client.post(f"{API}/{item.pk}/rate/", {"score": 3}, format="json")
    assert first.status_code == 201 and first.json()["rating"] == 3.0
    again = client.post(f"{API}/{item.pk}/rate/", {"score": 5, "comment": "Хорошо"}, format="json")
    assert again.status_code == 200 and again.json()["ratings_count"] == 1 and again.json()["rating"] == 5.0
    assert client.post(f"{API}/{item.pk}/rate/", {"score": 7}, format="json").status_code == 400
    assert WorkRating.objects.get().score == 5


def test_statistics_answer_the_pages_figures() -> None:
    item = work(status=WorkStatus.COMPLETED, planned_start=TODAY - timedelta(days=9), planned_end=TODAY,
                actual_start=TODAY - timedelta(days=9), actual_end=TODAY, ratings_count=2, ratings_total=7)
    data = api().get(f"{API}/statistics/").json()
    assert data["totals"]["works"] == 1 and data["totals"]["on_time"] == 1 and data["totals"]["rating"] == 3.5
    assert data["bodies"][0]["body"] == item.responsible_body_id
    assert api().get(f"{API}/statistics/", {"date_from": "2030-01-02", "date_to": "2030-01-01"}).status_code == 400


def test_a_token_needs_the_construction_write_scope(settings) -> None:
    settings.RATELIMIT_ENABLE = False
    item = work()
    person = resident()
    _token, without = make_token(person, scopes=("read", "write"))
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"{API}/{item.pk}/subscribe/", HTTP_AUTHORIZATION=f"Bearer {without}")
    assert response.status_code == 403 and not WorkSubscription.objects.exists()
    assert client.get(f"{API}/{item.pk}/", HTTP_AUTHORIZATION=f"Bearer {without}").status_code == 200
    _token, key = make_token(person, scopes=("read", "write", "construction:write"), name="full")
    response = client.post(f"{API}/{item.pk}/subscribe/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
