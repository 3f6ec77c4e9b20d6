"""The verification pages: a resident files a request on the form (nearby shown first, the object preselected by
its link, photos), the inspector answers on the workspace's form, the result is public on the request's page; the
author's name masked and escaped; the workspace's start page scoped to the reader's body; refusals change nothing."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

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
from krai.construction.tests.test_verification_services import METRE, file_one, not_an_image, png
from krai.orders import selectors as control_selectors
from krai.orders.models import Assignment, Status
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def place():
    inspection_body()
    return municipality()


def test_a_resident_files_on_the_form_and_the_inspector_answers(place):
    body = OrganisationFactory()
    building = construction_object(municipality=place, inspection_body=body, name="Дом на Красной")
    author = resident()
    client = signed_in(author)
    page = client.get(f"/construction/requests/new/?object={building.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(rf'id="krai-object-{building.pk}" value="{building.pk}" data-address="[^"]*" checked', html)
    assert "Дом на Красной" in html
    assert 'value="differs"' in html and 'data-nearby-url="/construction/nearby/"' in html
    answer = client.post("/construction/requests/new/", {
        "reason": "differs", "object": building.pk, "address": building.address, "lat": str(LAT), "lon": str(LON),
        "description": "Надстроили ещё три этажа.", "observed_floors": "12", "photos": [png(), png("b.png")]})
    request = VerificationRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/construction/requests/{request.pk}/"
    assert request.object == building and request.inspection_body == body and request.observed_floors == 12

    officer = signed_in(inspector(body))
    form = officer.get(f"/workspace/construction/requests/{request.pk}/inspect/")
    assert form.status_code == 200 and "Надстроили ещё три этажа." in form.content.decode()
    answer = officer.post(f"/workspace/construction/requests/{request.pk}/inspect/", {
        "visited_on": timezone.localdate().isoformat(), "findings": "Двенадцать этажей при девяти разрешённых.",
        "decision": "illegal", "floors_found": "12", "photos": [png("visit.png")]})
    assert answer.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED and IllegalConstruction.objects.get().verification == request
    assert control_selectors.control_for_subject(request).status == Status.DONE
    public = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/construction/requests/{request.pk}/").content.decode()
    assert "Двенадцать этажей при девяти разрешённых." in public and "Illegal construction" in public
    assert public.count("/files/") >= 6  # two photos of the site and one of the visit, each a link and an image
    listing = Client(HTTP_ACCEPT_LANGUAGE="en").get("/construction/requests/?decision=illegal").content.decode()
    assert f"/construction/requests/{request.pk}/" in listing
    assert Client().get("/construction/requests/?decision=legal").content.decode().count(
        f"/construction/requests/{request.pk}/") == 0


def test_the_form_refuses_bad_input_and_keeps_it(place):
    client = signed_in(resident())
    answer = client.post("/construction/requests/new/", {
        "reason": "differs", "address": "ул. Северная", "lat": str(LAT + 5), "lon": str(LON + 5),
        "description": "Надстроили этаж без разрешения.", "photos": [not_an_image()]})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "outside the region" in html and "Надстроили этаж без разрешения." in html
    assert not VerificationRequest.objects.exists() and not Assignment.objects.exists()
    looked = client.post("/construction/requests/new/", {"look": "1", "lat": str(LAT), "lon": str(LON),
                                                          "description": "Черновик"})
    assert looked.status_code == 200 and not VerificationRequest.objects.exists()
    assert "Черновик" in looked.content.decode()
    unconfirmed = signed_in(UserFactory(email_confirmed=False))
    assert "Confirm your e-mail" in unconfirmed.get("/construction/requests/new/").content.decode()
    assert Client().get("/construction/requests/new/").status_code == 302


def test_nearby_first_on_the_form_and_as_json(place):
    near = construction_object(name="Ближний дом", municipality=place, lat=LAT + 50 * METRE, lon=LON)
    construction_object(name="Дальний дом", municipality=place, lat=LAT + 900 * METRE, lon=LON)
    asked = verification_request(lat=LAT + 20 * METRE, lon=LON)
    data = Client().get(f"/construction/nearby/?lat={LAT}&lon={LON}").json()
    assert [o["id"] for o in data["objects"]] == [near.pk] and [r["id"] for r in data["requests"]] == [asked.pk]
    assert data["requests"][0]["metres"] == 20
    assert Client().get("/construction/nearby/?lat=x&lon=1").status_code == 400
    html = signed_in(resident()).get(f"/construction/requests/new/?lat={LAT}&lon={LON}").content.decode()
    assert "Ближний дом" in html and "Дальний дом" not in html and f"/construction/requests/{asked.pk}/" in html


def test_the_author_is_masked_and_escaped_on_public_pages(place):
    author = UserFactory(given_name="<b>Иван</b>", surname="Сидоров")
    request = file_one(author, description="Звоните <script>x()</script> +7 918 555-44-33, стройка ночью.",
                       address="ул. Северная, 5, звоните ivan.s@mail.example")
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/construction/requests/{request.pk}/").content.decode()
    assert "&lt;b&gt;Иван&lt;/b&gt; С." in html and "Сидоров" not in html and "<b>Иван" not in html
    assert "555-44-33" not in html and "<script>x()" not in html and "стройка ночью" in html
    assert "ivan.s@mail.example" not in html and "ул. Северная, 5" in html
    for channel in ("/construction/requests/", "/construction/requests/map.geojson",
                    f"/api/v1/construction/requests/{request.pk}/", "/api/v1/construction/requests/",
                    f"/construction/nearby/?lat={LAT}&lon={LON}"):
        answer = Client().get(channel)
        text = (json.dumps(answer.json(), ensure_ascii=False) if answer["Content-Type"].endswith("json")
                else answer.content.decode())
        assert str(request.pk) in text, channel
        assert "Сидоров" not in text and "555-44-33" not in text and "ivan.s@mail.example" not in text, channel
    # the inspector works with the text as written
    staff = signed_in(inspector()).get(f"/workspace/construction/requests/{request.pk}/inspect/").content.decode()
    assert "+7 918 555-44-33" in staff and "&lt;script&gt;x()&lt;/script&gt;" in staff
    assert Client().get("/construction/requests/999999/").status_code == 404


def test_an_inspector_of_another_body_gets_404_and_nothing_changes(place):
    body = OrganisationFactory()
    request = verification_request(inspection_body=body)
    stranger = signed_in(inspector(OrganisationFactory()))
    assert stranger.get(f"/workspace/construction/requests/{request.pk}/inspect/").status_code == 404
    answer = stranger.post(f"/workspace/construction/requests/{request.pk}/inspect/", {
        "visited_on": timezone.localdate().isoformat(), "findings": "Чужое.", "decision": "legal"})
    assert answer.status_code == 404 and not Inspection.objects.exists()
    assert signed_in(resident()).post(f"/workspace/construction/requests/{request.pk}/cancel/",
                                      {"reason": "Дубль"}).status_code in (403, 404)
    assert VerificationRequest.objects.get().status == RequestStatus.OPEN
    answer = signed_in(keeper()).post(f"/workspace/construction/requests/{request.pk}/cancel/", {"reason": "Дубль"})
    assert answer.status_code == 302 and VerificationRequest.objects.get().status == RequestStatus.CANCELLED
    assert "Дубль" in Client(HTTP_ACCEPT_LANGUAGE="en").get(request.get_absolute_url()).content.decode()


def test_the_workspace_start_page_is_the_reader_s_body_s_queue(place):
    body = OrganisationFactory()
    overdue = verification_request(inspection_body=body, address="ул. Просроченная, 1",
                                   due_date=timezone.localdate() - timedelta(days=2))
    other = verification_request(address="ул. Чужая, 2")
    html = signed_in(inspector(body)).get("/workspace/construction/").content.decode()
    assert "ул. Просроченная, 1" in html and "ул. Чужая, 2" not in html and "table-danger" in html
    assert f"/workspace/construction/requests/{overdue.pk}/inspect/" in html
    everything = signed_in(keeper()).get("/workspace/construction/").content.decode()
    assert "ул. Просроченная, 1" in everything and "ул. Чужая, 2" in everything
    for name in ("object_new", "illegal_new"):  # the other parts' pages, linked when they are there
        try:
            url = reverse(f"construction:{name}")
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in everything
    bystander = signed_in(StaffFactory())
    page = bystander.get("/workspace/construction/")
    assert page.status_code == 200 and "Nothing to verify." in page.content.decode()
    assert "ул. Чужая, 2" not in page.content.decode() and "krai-construction-links" not in page.content.decode()
    assert other.get_absolute_url() in everything
    assert signed_in(resident()).get("/workspace/construction/").status_code == 403
    assert Client().get("/workspace/construction/").status_code == 302


def test_my_requests_and_the_list_pages(place):
    author = resident()
    mine = file_one(author, address="ул. Моя, 1")
    file_one(resident(), address="ул. Соседа, 2")
    html = signed_in(author).get("/construction/requests/mine/").content.decode()
    assert "ул. Моя, 1" in html and "ул. Соседа, 2" not in html
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/construction/requests/?status=open&municipality={place.pk}")
    assert page.status_code == 200 and "ул. Соседа, 2" in page.content.decode()
    geo = Client().get("/construction/requests/map.geojson?status=open").json()
    assert {f["id"] for f in geo["features"]} == set(VerificationRequest.objects.values_list("pk", flat=True))
    assert mine.pk in {f["id"] for f in geo["features"]}


def test_the_list_pages_reach_every_request(place):
    made = {verification_request().pk for _ in range(23)}
    client, seen = Client(), set()
    for number in (1, 2):
        html = client.get(f"/construction/requests/?page={number}").content.decode()
        seen |= {pk for pk in made if f'href="/construction/requests/{pk}/"' in html}
    assert seen == made
