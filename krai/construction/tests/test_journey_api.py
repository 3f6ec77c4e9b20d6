"""Construction through the API only, each actor with his own token (scopes ``read``, ``write``,
``construction:write``; the keeper's import also ``imports:write``):

* a resident files a verification request with a photo and reads it; the inspector of the inspection body finds
  it in his queue and inspects it — "illegal construction"; the public reads the result; the illegal
  construction is in its registry; the keeper records a measure linking the lawsuit monitoring's court case,
  imports a table of illegal constructions (a broken row: 400 by row, nothing stored; then the fixed file) and
  downloads the PDF report;
* a keeper enters an object and changes it (its history grows); a body's staff enter a work, start it, move its
  end later (a slip its subscriber hears of), complete it; a resident who subscribed rates it; the statistics
  count it.

The helpers here (``client_of``, ``ok``, ``png``, ``xlsx``…) serve the area's security tests too."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.construction.models import IllegalConstruction, Measure, VerificationRequest, Work
from krai.construction.tests.factories import LAT, LON, body_staff, inspection_body, inspector, keeper, municipality
from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.monitoring.lawsuits.models import CourtCase
from krai.org.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/construction"
IMPORTS = "/api/v1/imports/construction.illegal/"
SCOPES = ["read", "write", "construction:write"]
KEEPER_SCOPES = [*SCOPES, "imports:write"]
TODAY = timezone.localdate()
FOUND = TODAY - timedelta(days=40)
HEADER = ["Адрес", "Муниципальное образование", "Широта", "Долгота", "Дата выявления", "Статус", "Мера",
          "Дата меры", "Сумма штрафа"]


# --- helpers (the security tests use them too) -----------------------------------------------------------

def client_of(user: Any, scopes: list[str] = SCOPES) -> APIClient:
    """A client that speaks with the user's own token only (no session)."""
    key = make_token(user, scopes=scopes, name="journey")[1]
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, response.content
    return response.json()


def refused(response: Any, code: int) -> str:
    """The refusal's message and fields (as one text), after checking its code."""
    assert response.status_code == code, response.content
    error = response.json()["error"]
    return f"{error['message']} {error.get('fields', '')}"


def png(name: str = "site.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (120, 60, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def xlsx(rows: list[list[Any]], header: list[str] = HEADER, name: str = "самострой.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def filing(**fields: Any) -> dict[str, Any]:
    return {"reason": "missing", "address": "Краснодар, ул. Северная, 5", "lat": LAT + 0.001, "lon": LON,
            "description": "Строят пятиэтажный дом, в реестре его нет.", "observed_floors": 5, **fields}


def visit(**fields: Any) -> dict[str, Any]:
    return {"visited_on": TODAY.isoformat(), "findings": "Пять этажей, разрешения нет.", "decision": "illegal",
            "floors_found": 5, **fields}


def work_values(body: Any, **fields: Any) -> dict[str, Any]:
    return {"name": "Ремонт ул. Мира", "kind": "road", "address": "Краснодар, ул. Мира", "street": "Мира",
            "lat": LAT, "lon": LON, "responsible_body": body.pk, "planned_start": TODAY.isoformat(),
            "planned_end": (TODAY + timedelta(days=30)).isoformat(), **fields}


# --- the journeys ------------------------------------------------------------------------------------------

def test_a_request_becomes_an_illegal_construction_with_measures_an_import_and_the_report() -> None:
    town = municipality(name="Краснодар", code="krasnodar")
    inspection_body()
    author = UserFactory(given_name="Мария", surname="Подгорная", email="podgornaya@example.ru")
    resident, officer, boss = client_of(author), client_of(inspector()), client_of(keeper(), KEEPER_SCOPES)

    # 1. The resident files a request with a photo (multipart) and reads it back.
    filed = ok(resident.post(f"{BASE}/requests/", {**filing(), "photos": [png()]}, format="multipart"), 201)
    pk = filed["id"]
    assert filed["status"] == "open" and len(filed["photos"]) == 1 and filed["author"] == "Мария П."
    assert filed["due_date"] and filed["inspection"] is None
    assert ok(resident.get(f"{BASE}/requests/{pk}/"))["description"].startswith("Строят")

    # 2. The inspector finds it in his queue (the control engine's assignment and the open requests) ...
    queue = ok(officer.get("/api/v1/orders/assignments/", {"kind": "construction"}))["results"]
    assert [row["subject_id"] for row in queue] == [str(pk)]
    assert pk in [row["id"] for row in ok(officer.get(f"{BASE}/requests/", {"status": "open"}))["results"]]
    # ... and inspects it: an illegal construction.
    answered = ok(officer.post(f"{BASE}/requests/{pk}/inspect/", {**visit(), "photos": [png("visit.png")]},
                               format="multipart"), 201)
    assert answered["status"] == "resolved" and answered["inspection"]["decision"] == "illegal"

    # 3. The public reads the result; the illegal construction is in its registry.
    public = ok(APIClient().get(f"{BASE}/requests/{pk}/"))
    assert public["inspection"]["findings"] == "Пять этажей, разрешения нет." and public["illegal_id"]
    assert "Подгорная" not in str(public) and "podgornaya" not in str(public)
    entry = ok(APIClient().get(f"{BASE}/illegal/{public['illegal_id']}/"))
    assert (entry["source"], entry["verification"], entry["status"]) == ("inspection", pk, "identified")
    assert entry["municipality"] == town.pk

    # 4. The keeper records a court case of the lawsuit monitoring as a measure.
    case = CourtCase.objects.create(number="А32-500/2026", court="Арбитражный суд Краснодарского края",
                                    organisation=OrganisationFactory(), our_side="plaintiff", filed_on=TODAY)
    measured = ok(boss.post(f"{BASE}/illegal/{entry['id']}/measures/", {
        "kind": "court_case", "taken_on": TODAY.isoformat(), "number": "А32-500/2026", "court_case": case.pk},
        format="json"), 201)
    assert measured["status"] == "measures" and measured["measures"][0]["court_case"] == case.pk
    assert ok(APIClient().get(f"{BASE}/illegal/{entry['id']}/"))["measures"][0]["court_case"] is None

    # 5. An import with a broken row stores nothing and names the row; the fixed file stores every row.
    good = [["Краснодар, ул. Садовая, 3", "Краснодар", LAT + 0.01, LON + 0.01, FOUND, "выявлено", "штраф",
             FOUND + timedelta(days=5), 30000],
            ["Краснодар, берег реки", "krasnodar", LAT + 0.02, LON + 0.02, FOUND, "снесено", None, None, None]]
    broken = [good[0], [*good[1][:4], (TODAY + timedelta(days=3)), *good[1][5:]]]
    before = (IllegalConstruction.objects.count(), Measure.objects.count())
    refused_import = boss.post(IMPORTS, {"file": xlsx(broken)}, format="multipart")
    assert refused_import.status_code == 400, refused_import.content
    error = refused_import.json()["error"]
    assert error["code"] == "rows" and [(r["row"], r["column"]) for r in error["rows"]] == [(3, "Дата выявления")]
    assert "future" in error["rows"][0]["reason"]
    assert (IllegalConstruction.objects.count(), Measure.objects.count()) == before
    stored = ok(boss.post(IMPORTS, {"file": xlsx(good)}, format="multipart"), 201)
    assert stored["status"] == "stored" and stored["summary"]["created"] == 2
    imported = ok(APIClient().get(f"{BASE}/illegal/", {"import_id": stored["id"]}))
    assert imported["count"] == 2 and {row["status"] for row in imported["results"]} == {"measures", "demolished"}

    # 6. The report as PDF, for anyone.
    report = APIClient().get(f"{BASE}/illegal/report.pdf", {"municipality": town.pk,
                                                            "from": (FOUND - timedelta(days=1)).isoformat()},
                             HTTP_ACCEPT="application/pdf")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    assert report.content.startswith(b"%PDF") and len(report.content) > 1000
    assert VerificationRequest.objects.get(pk=pk).status == "resolved"


def test_the_registry_and_a_work_from_plan_to_rating() -> None:
    municipality()
    body = OrganisationFactory(name="Департамент транспорта")
    boss, staff = client_of(keeper()), client_of(body_staff(body))
    fan_user = UserFactory(given_name="Олег", surname="Засекреченный")
    fan = client_of(fan_user)

    # 1. A keeper enters an object and changes it: the history grows, the public reads both.
    made = ok(boss.post(f"{BASE}/objects/", {
        "name": "Жилой дом на ул. Красной", "address": "Краснодар, ул. Красная, 10", "lat": LAT, "lon": LON,
        "approved_floors": 9, "permit_number": "23-RU-1", "stage": "permit_issued"}, format="json"), 201)
    history = f"{BASE}/objects/{made['id']}/history/"
    assert ok(APIClient().get(history))["count"] == 1
    changed = ok(boss.patch(f"{BASE}/objects/{made['id']}/", {"stage": "under_construction", "approved_floors": 10,
                                                               "note": "Изменено разрешение"}, format="json"))
    assert (changed["stage"], changed["approved_floors"]) == ("under_construction", 10)
    rows = ok(APIClient().get(history))
    assert rows["count"] == 2 and rows["results"][0]["note"] == "Изменено разрешение"
    assert {item["field"] for item in rows["results"][0]["changes"]} == {"stage", "approved_floors"}

    # 2. The body's staff enter a work; a resident subscribes; it starts, its end moves later (a slip), it ends.
    pk = ok(staff.post(f"{BASE}/works/", work_values(body), format="json"), 201)["id"]
    assert ok(fan.post(f"{BASE}/works/{pk}/subscribe/"), 201)["subscribed"] is True
    assert ok(staff.post(f"{BASE}/works/{pk}/start/", {}, format="json"))["status"] == "in_progress"
    later = (TODAY + timedelta(days=45)).isoformat()
    moved = ok(staff.post(f"{BASE}/works/{pk}/reschedule/", {"planned_start": TODAY.isoformat(), "planned_end": later,
                                                              "reason": "Дожди"}, format="json"))
    assert moved["planned_end"] == later
    assert Event.objects.filter(kind="construction.work_slipped", subject_id=str(pk)).count() == 1
    done = ok(staff.post(f"{BASE}/works/{pk}/complete/", {}, format="json"))
    assert done["status"] == "completed" and done["actual_end"] == TODAY.isoformat()
    deliver_pending()
    deliver_pending()
    told = set(Notification.objects.filter(user=fan_user).values_list("kind", flat=True))
    assert {"construction.work_slipped", "construction.work_started"} <= told, told

    # 3. The resident rates it; the staff may not rate their own work; the statistics count it.
    rated = ok(fan.post(f"{BASE}/works/{pk}/rate/", {"score": 4, "comment": "Хорошо"}, format="json"), 201)
    assert (rated["ratings_count"], rated["rating"]) == (1, 4.0)
    assert "own works" in refused(staff.post(f"{BASE}/works/{pk}/rate/", {"score": 5}, format="json"), 403)
    figures = ok(APIClient().get(f"{BASE}/works/statistics/"))
    row = next(r for r in figures["bodies"] if r["body"] == body.pk)
    assert (row["works"], row["completed"], row["on_time"], row["late"], row["ratings"], row["rating"]) == (
        1, 1, 1, 0, 1, 4.0)
    assert Work.objects.get(pk=pk).ratings_count == 1
