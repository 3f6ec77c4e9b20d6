"""Pages of the illegal constructions: the public list (map data, filters, pages reaching every entry, the keepers'
flag "address not found" and import link), an entry's card (measures, the court case linked for who may see it,
the request it came from, the history; a person's name hidden from the public), the keepers' forms (a resident
gets 403 and nothing changes), the report's form, and escaping of what people typed."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.construction.models import IllegalConstruction, Measure
from krai.construction.services.illegal import illegal_update, measure_add
from krai.construction.tests.factories import (
    LAT,
    LON,
    construction_object,
    illegal_construction,
    keeper,
    municipality,
    resident,
    verification_request,
)
from krai.core.cards import card_for
from krai.core.events.models import Event
from krai.monitoring.lawsuits.models import CourtCase
from krai.org.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LIST = reverse("construction:illegal_list")


@pytest.fixture
def world():
    return SimpleNamespace(town=municipality(name="Краснодар"), keeper=keeper(), resident=resident())


def test_the_list_shows_the_map_and_pages_through_every_entry(client, world):
    for n in range(27):
        illegal_construction(municipality=world.town, address=f"Краснодар, ул. Садовая, {n + 1}",
                             found_on=TODAY - timedelta(days=n))
    illegal_construction(municipality=world.town, address="Краснодар, пустырь", lat=None, lon=None,
                         location="not_found", found_on=TODAY - timedelta(days=100))
    first = client.get(LIST)
    assert first.status_code == 200 and first.context["total"] == 28
    data = json.loads(first.content.decode().split('id="krai-illegal-points" type="application/json">')[1]
                      .split("</script>")[0])
    assert len(data["points"]) == 27 and data["colours"]["identified"] == "#d62728"
    second = client.get(LIST, {"page": 2})
    assert "Краснодар, пустырь" in second.content.decode() and "address not found" in second.content.decode()
    assert "Address not found" not in first.content.decode() and "Import from a table" not in first.content.decode()
    only = client.get(LIST, {"status": "identified", "found_from": (TODAY - timedelta(days=2)).isoformat()})
    assert only.context["total"] == 3


def test_keepers_filter_the_addresses_not_found_and_find_the_import(client, world):
    illegal_construction(municipality=world.town)
    illegal_construction(municipality=world.town, address="Нигде", lat=None, lon=None, location="not_found")
    client.force_login(world.keeper)
    page = client.get(LIST, {"not_found": "on"})
    assert page.context["total"] == 1 and "Нигде" in page.content.decode()
    assert reverse("imports:start", args=["construction.illegal"]) in page.content.decode()


def test_the_card_shows_measures_the_court_case_and_the_history(client, world):
    request = verification_request(municipality=world.town)
    entry = illegal_construction(municipality=world.town, verification=request, owner="Петров П. П.",
                                 found_on=TODAY - timedelta(days=20), source="inspection")
    case = CourtCase.objects.create(number="А32-9/2026", court="АС КК", organisation=OrganisationFactory(),
                                    our_side="plaintiff", filed_on=TODAY)
    measure_add(actor=world.keeper, construction=entry, kind="court_case", taken_on=TODAY, court_case=case)
    illegal_update(actor=world.keeper, construction=entry, owner="Петров Пётр Петрович", cadastral_number="23:43:1:1")
    case_url = reverse("monitoring:lawsuits:case", args=[case.pk])
    public = client.get(entry.get_absolute_url()).content.decode()
    assert "А32-9/2026" in public and case_url not in public
    assert "Петров" not in public  # a person's name is not published
    assert reverse("construction:request", args=[request.pk]) in public
    assert "23:43:1:1" in public  # the history of the change
    client.force_login(world.keeper)
    staff = client.get(entry.get_absolute_url()).content.decode()
    assert case_url in staff and "Петров Пётр Петрович" in staff
    assert client.get(reverse("construction:illegal", args=[entry.pk + 999])).status_code == 404


def test_a_resident_may_not_use_the_keepers_forms_and_nothing_changes(client, world):
    entry = illegal_construction(municipality=world.town)
    client.force_login(world.resident)
    posts = [(reverse("construction:illegal_new"), {"address": "x", "found_on": TODAY.isoformat(),
                                                     "status": "identified"}),
             (reverse("construction:illegal_edit", args=[entry.pk]), {"address": "y", "found_on": TODAY.isoformat(),
                                                                      "status": "demolished"}),
             (reverse("construction:measure_new", args=[entry.pk]), {"kind": "demolished",
                                                                     "taken_on": TODAY.isoformat()})]
    for url, data in posts:
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    measure = Measure.objects.create(construction=entry, kind="fine", taken_on=TODAY, amount=10)
    assert client.post(reverse("construction:measure_remove", args=[measure.pk])).status_code == 403
    entry.refresh_from_db()
    assert (entry.address, entry.status) == ("Краснодар, ул. Садовая, 3", "identified")
    assert IllegalConstruction.objects.count() == 1 and Measure.objects.count() == 1
    assert not Event.objects.filter(kind__startswith="construction.").exists()
    client.logout()
    assert client.get(reverse("construction:illegal_new")).status_code == 302  # to sign in


def test_a_keeper_enters_changes_and_adds_measures_through_the_forms(client, world):
    client.force_login(world.keeper)
    assert client.get(reverse("construction:illegal_new")).status_code == 200
    response = client.post(reverse("construction:illegal_new"), {
        "address": "Краснодар, у рынка", "lat": LAT, "lon": LON, "found_on": (TODAY - timedelta(days=3)).isoformat(),
        "status": "identified", "owner": "ООО «Рынок»"})
    entry = IllegalConstruction.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.location, entry.municipality) == ("given", world.town)
    refused = client.post(reverse("construction:illegal_new"), {
        "address": "Далеко", "lat": 10, "lon": 10, "found_on": TODAY.isoformat(), "status": "identified"})
    assert refused.status_code == 200 and "outside the region" in refused.content.decode()
    edit = reverse("construction:illegal_edit", args=[entry.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"address": "Краснодар, у рынка, 2", "lat": LAT, "lon": LON,
                       "found_on": entry.found_on.isoformat(), "status": "identified"})
    entry.refresh_from_db()
    assert entry.address == "Краснодар, у рынка, 2"
    new_measure = reverse("construction:measure_new", args=[entry.pk])
    assert client.get(new_measure).status_code == 200
    no_amount = client.post(new_measure, {"kind": "fine", "taken_on": TODAY.isoformat()})
    assert no_amount.status_code == 200 and "Give the fine" in no_amount.content.decode()
    assert client.post(new_measure, {"kind": "fine", "taken_on": TODAY.isoformat(), "amount": "3000"}
                       ).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "measures" and entry.measures.get().amount == 3000
    measure = entry.measures.get()
    assert client.post(reverse("construction:measure_remove", args=[measure.pk])).status_code == 302
    assert not entry.measures.exists()


def test_what_people_typed_is_escaped(client, world):
    entry = illegal_construction(municipality=world.town, address="<script>alert(1)</script> ул. Садовая",
                                 description="<b>жирно</b>", owner="ООО «<img src=x onerror=alert(2)>»")
    Measure.objects.create(construction=entry, kind="other", taken_on=TODAY, description="<i>мера</i>")
    for url in (entry.get_absolute_url(), LIST):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>жирно" not in html
        assert "<i>мера" not in html
    html = client.get(LIST).content.decode()
    assert "\\u003Cscript\\u003Ealert(1)" in html  # the map's data is JSON escaped for a script element


def test_the_report_form_and_its_downloads(client, world):
    illegal_construction(municipality=world.town)
    report = reverse("construction:illegal_report")
    page = client.get(report)
    assert page.status_code == 200 and page.context["form"]["date_from"].value() == TODAY.replace(month=1, day=1)
    pdf = client.get(report, {"make": "pdf", "municipality": world.town.pk})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    table = client.get(report, {"make": "xlsx", "date_from": "2000-01-01", "date_to": TODAY.isoformat()})
    assert table.status_code == 200 and "spreadsheetml" in table["Content-Type"]
    bad = client.get(report, {"make": "pdf", "date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert bad.status_code == 200 and "ends before it starts" in bad.content.decode()


def test_a_registered_objects_card_lists_its_illegal_constructions_and_a_link_shows_as_a_card(client, world):
    registered = construction_object(municipality=world.town)
    illegal_construction(municipality=world.town, object=registered, address="Краснодар, надстройка <5-й этаж>")
    illegal_construction(municipality=world.town, address="Краснодар, другое место")
    html = client.get(registered.get_absolute_url()).content.decode()
    assert "Illegal constructions found here" in html and "надстройка &lt;5-й этаж&gt;" in html
    assert "другое место" not in html
    entry = IllegalConstruction.objects.get(object=registered)
    card = card_for(entry.get_absolute_url(), world.resident)
    assert card is not None and card.title == entry.address and card.url == entry.get_absolute_url()
