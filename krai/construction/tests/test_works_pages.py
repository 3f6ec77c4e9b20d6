"""The works' pages: the map and the list (the home municipality by default, "my street"), the card (plan against
fact, the programme's link for who may follow it, subscription, rating, escaping and masking), the statistics
(each number is the length of the list it links to), one's subscriptions, and the staff's workspace (scoped:
another body's work answers 404 and stays as it was)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from krai.construction.models import Work, WorkKind, WorkRating, WorkStatus, WorkSubscription
from krai.construction.tests.factories import LAT, LON, body_staff, keeper, municipality, resident, work
from krai.core.files.models import Attachment
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, square
from krai.projects.models import Programme

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _total(response) -> int:
    return int(re.search(r'data-total="(\d+)"', response.content.decode()).group(1))


def _completed(**fields) -> Work:
    fields.setdefault("planned_start", TODAY - timedelta(days=30))
    fields.setdefault("planned_end", TODAY - timedelta(days=1))
    return work(status=WorkStatus.COMPLETED, actual_start=TODAY - timedelta(days=30), **fields)


# --- the list, the map, my street -----------------------------------------------------------------------

def test_the_list_defaults_to_the_residents_home_municipality(client) -> None:
    home, other = municipality(), MunicipalityFactory(boundary=square(40.0, 44.0))
    mine = work(municipality=home, name="Ремонт школы №5")
    elsewhere = work(municipality=other, name="Ремонт парка")
    person = resident(home_municipality=home)
    client.force_login(person)
    page = client.get("/works/")
    assert page.status_code == 200 and _total(page) == 1
    assert f'data-work="{mine.pk}"' in page.content.decode()
    everything = client.get("/works/?municipality=")
    assert _total(everything) == 2 and f'data-work="{elsewhere.pk}"' in everything.content.decode()
    assert _total(client.get(f"/works/?municipality={other.pk}&kind=road")) == 1
    assert _total(client.get("/works/?municipality=&q=школы")) == 1


def test_my_street_lists_the_works_of_the_street_whatever_the_case(client) -> None:
    town = municipality()
    on_it = work(municipality=town, street="Ставропольская", address="Краснодар, ул. Ставропольская, 1-40")
    by_address = work(municipality=town, street="", address="Краснодар, ул. Ставропольская, 101")
    work(municipality=town, street="Северная", address="Краснодар, ул. Северная, 5")
    page = client.get(f"/works/?municipality={town.pk}&street=ставропольская")
    body = page.content.decode()
    assert _total(page) == 2 and f'data-work="{on_it.pk}"' in body and f'data-work="{by_address.pk}"' in body
    assert "Works on “ставропольская”" in unescape(body)
    hints = client.get("/works/streets.json", {"q": "став", "municipality": town.pk}).json()
    assert hints == {"results": ["Ставропольская"]}
    assert client.get("/works/streets.json", {"q": "х"}).json() == {"results": []}
    assert client.get("/works/streets.json", {"q": "став", "municipality": "9" * 30}).status_code == 200


def test_the_map_answers_geojson_with_the_filters_and_the_outline(client) -> None:
    line = {"type": "LineString", "coordinates": [[LON, LAT], [LON + 0.01, LAT]]}
    road = work(geometry=line)
    yard = work(kind=WorkKind.YARD, lat=LAT + 0.1, lon=LON + 0.1)
    data = client.get("/works/map.json", {"kind": "road"}).json()
    assert [f["id"] for f in data["features"]] == [road.pk]
    assert data["features"][0]["properties"]["shape"] == line
    assert data["features"][0]["geometry"]["coordinates"] == [LON, LAT]
    boxed = client.get("/works/map.json", {"bbox": f"{LON + 0.05},{LAT + 0.05},{LON + 0.2},{LAT + 0.2}"}).json()
    assert [f["id"] for f in boxed["features"]] == [yard.pk]


# --- the card ------------------------------------------------------------------------------------------

def test_the_card_shows_plan_against_fact_and_escapes_everything(client) -> None:
    body = OrganisationFactory(name="<b>Департамент</b>")
    programme = Programme.objects.create(code="yards", title="Формирование комфортной среды",
                                         owner_organisation=body, starts_on=TODAY, ends_on=TODAY + timedelta(days=9))
    item = work(name="<script>alert(1)</script>", responsible_body=body, programme=programme,
                status=WorkStatus.IN_PROGRESS, planned_start=TODAY - timedelta(days=40),
                actual_start=TODAY - timedelta(days=38), planned_end=TODAY - timedelta(days=3))
    page = client.get(f"/works/{item.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Департамент</b>" not in html
    assert "late by 3 days" in html
    assert "Формирование комфортной среды" in html and "/workspace/projects/g/yards/" not in html  # not for all
    client.force_login(keeper())
    assert "/workspace/projects/g/yards/" in client.get(f"/works/{item.pk}/").content.decode()
    assert client.get("/works/999999/").status_code == 404


def test_subscribing_and_rating_from_the_card(client) -> None:
    item = _completed(actual_end=TODAY)
    person = resident()
    client.force_login(person)
    assert client.post(f"/works/{item.pk}/subscribe/").status_code == 302
    assert WorkSubscription.objects.filter(user=person, work=item).exists()
    page = client.get("/works/subscriptions/")
    assert item.name in page.content.decode()
    response = client.post(f"/works/{item.pk}/rate/", {"score": "4", "comment": "Звоните +7 918 123-45-67 <i>x</i>"})
    assert response.status_code == 302 and response["Location"].endswith("#rate")
    assert WorkRating.objects.get(user=person).score == 4
    from django.test import Client

    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/works/{item.pk}/").content.decode()  # the public's view
    assert "918 123-45-67" not in html and "&lt;i&gt;x&lt;/i&gt;" in html and "★ 4.0" in html
    assert person.surname not in html
    client.post(f"/works/{item.pk}/rate/", {"score": "9"})
    assert WorkRating.objects.get(user=person).score == 4
    client.post(f"/works/{item.pk}/subscribe/", {"undo": "1", "next": "subscriptions"})
    assert not WorkSubscription.objects.exists()
    client.logout()
    assert client.post(f"/works/{item.pk}/rate/", {"score": "5"}).status_code == 302
    assert WorkRating.objects.count() == 1


# --- the statistics ------------------------------------------------------------------------------------

def test_every_number_of_the_statistics_is_the_length_of_the_list_it_links_to(client) -> None:
    town = municipality()
    first, second = OrganisationFactory(name="Департамент дорог"), OrganisationFactory(name="Управление ЖКХ")
    _completed(municipality=town, responsible_body=first, planned_end=TODAY - timedelta(days=2),
               actual_end=TODAY - timedelta(days=5), ratings_count=2, ratings_total=9)  # on time
    _completed(municipality=town, responsible_body=first, planned_end=TODAY - timedelta(days=10),
               actual_end=TODAY - timedelta(days=1), ratings_count=1, ratings_total=2)  # late
    work(municipality=town, responsible_body=first, planned_start=TODAY - timedelta(days=1))  # slipping: start
    work(municipality=town, responsible_body=second, status=WorkStatus.IN_PROGRESS,
         actual_start=TODAY - timedelta(days=9), planned_start=TODAY - timedelta(days=9),
         planned_end=TODAY - timedelta(days=1))  # slipping: end
    work(municipality=town, responsible_body=second)  # planned, in time
    person = resident(home_municipality=MunicipalityFactory(boundary=square(40.0, 44.0)))
    client.force_login(person)  # his home default must not narrow the lists the numbers link to
    page = client.get("/works/statistics/")
    html = page.content.decode()
    links = re.findall(r'<a href="([^"]+)" data-stat="(\w+)">(\d+)</a>', html)
    assert len(links) == 18  # six numbers for each body and the totals
    for href, name, number in links:
        listed = client.get(unescape(href))
        if name == "ratings":
            shown = sum(w.ratings_count for w in listed.context["page"].object_list)
        else:
            shown = _total(listed)
        assert shown == int(number), (name, href)
    first_row = html[html.index(f'data-body="{first.pk}"'):]
    assert 'data-stat="on_time">1<' in first_row and 'data-stat="late">1<' in first_row
    assert "3.67" in first_row  # 11 / 3, as the problems' statistics count the average
    assert client.get("/works/statistics/", {"date_from": "2030-01-02", "date_to": "2030-01-01"}).status_code == 400


# --- the workspace -------------------------------------------------------------------------------------

def test_the_workspace_lists_only_the_bodies_works_and_refuses_another_bodys(client) -> None:
    own = work(name="Свой ремонт")
    other = work(name="Чужой ремонт")
    staff = body_staff(own.responsible_body)
    client.force_login(staff)
    page = client.get("/workspace/construction/works/")
    assert "Свой ремонт" in page.content.decode() and "Чужой ремонт" not in page.content.decode()
    assert client.get(f"/workspace/construction/works/{other.pk}/edit/").status_code == 404
    response = client.post(f"/workspace/construction/works/{other.pk}/edit/",
                           {"name": "Взлом", "kind": "road", "address": "x",
                            "responsible_body": own.responsible_body_id})
    assert response.status_code == 404
    assert client.post(f"/workspace/construction/works/{other.pk}/start/").status_code == 404
    other.refresh_from_db()
    assert other.name == "Чужой ремонт" and other.status == WorkStatus.PLANNED
    client.force_login(resident())
    assert client.get("/workspace/construction/works/").status_code == 404
    client.logout()
    assert client.get("/workspace/construction/works/").status_code == 302


def test_staff_enter_edit_move_and_attach_through_the_workspace(client) -> None:
    municipality()
    body = OrganisationFactory()
    staff = body_staff(body)
    client.force_login(staff)
    assert client.get("/workspace/construction/works/new/").status_code == 200
    data = {"name": "Ремонт сетей", "kind": "network", "responsible_body": body.pk, "address": "Краснодар, ул. Мира",
            "lat": LAT, "lon": LON, "planned_start": TODAY.isoformat(),
            "planned_end": (TODAY - timedelta(days=1)).isoformat()}
    refused = client.post("/workspace/construction/works/new/", data)
    assert refused.status_code == 400 and "cannot come before the planned start" in refused.content.decode()
    assert not Work.objects.exists()
    data["planned_end"] = (TODAY + timedelta(days=20)).isoformat()
    response = client.post("/workspace/construction/works/new/", data)
    item = Work.objects.get()
    assert response["Location"] == f"/workspace/construction/works/{item.pk}/edit/"
    edit = {**{k: v for k, v in data.items() if not k.startswith("planned")}, "contractor": "ООО «Сети»",
            "note": "Подписан контракт"}
    client.post(f"/workspace/construction/works/{item.pk}/edit/", edit)
    item.refresh_from_db()
    assert item.contractor == "ООО «Сети»"
    client.post(f"/workspace/construction/works/{item.pk}/start/", {"start-on": ""})
    client.post(f"/workspace/construction/works/{item.pk}/file/",
                {"file-kind": "document", "file-upload": SimpleUploadedFile("kontrakt.pdf", PDF)})
    item.refresh_from_db()
    assert item.status == WorkStatus.IN_PROGRESS and Attachment.objects.get().original_name == "kontrakt.pdf"
    page = client.get(f"/workspace/construction/works/{item.pk}/edit/").content.decode()
    assert "Подписан контракт" in page and "kontrakt.pdf" in page
    assert client.post(f"/workspace/construction/works/{item.pk}/nonsense/").status_code == 404
