"""The registry of illegal constructions, its services: an entry placed by its point, by its address (the address
registry), or kept flagged; a point outside the region or the named municipality refused; changes kept in the
history; measures moving the status, a fine's amount, a court case of the lawsuit monitoring; removal; refusals
that change nothing; the open dataset without persons' names."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.construction.models import Change, IllegalConstruction, Measure
from krai.construction.selectors import illegal as selectors
from krai.construction.services.illegal import (
    illegal_create,
    illegal_import,
    illegal_update,
    measure_add,
    measure_remove,
)
from krai.construction.tests.factories import (
    LAT,
    LON,
    illegal_construction,
    inspection_body,
    inspector,
    keeper,
    municipality,
    resident,
    verification_request,
)
from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.monitoring.lawsuits.models import CourtCase
from krai.opendata import services as opendata
from krai.opendata.registry import live_datasets
from krai.org.addresses.services import addresses_load
from krai.org.models import Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory, assign, square

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    town = municipality(name="Краснодар", code="krasnodar")
    village = MunicipalityFactory(name="Северский район", code="seversky", boundary=square(LON + 0.3, LAT - 0.25))
    addresses_load(actor=None, rows=[
        {"municipality": "krasnodar", "locality": "Краснодар", "street": "ул. Садовая", "house": "3",
         "lat": LAT + 0.01, "lon": LON + 0.01},
        {"municipality": "krasnodar", "locality": "Краснодар", "street": "ул. Зелёная", "house": "7",
         "lat": LAT + 0.02, "lon": LON - 0.01}])
    return SimpleNamespace(town=town, village=village, keeper=keeper(), resident=resident())


def _events(kind: str) -> int:
    return Event.objects.filter(kind=kind).count()


def test_illegal_create_places_by_point_by_address_or_flags(world):
    given = illegal_create(actor=world.keeper, address="Краснодар, у реки", found_on=TODAY, lat=LAT, lon=LON)
    assert (given.location, given.municipality, given.source) == ("given", world.town, "manual")
    found = illegal_create(actor=world.keeper, address="г. Краснодар, ул. Садовая, д. 3", found_on=TODAY)
    assert found.location == "geocoded" and (found.lat, found.lon) == (LAT + 0.01, LON + 0.01)
    assert found.municipality == world.town
    lost = illegal_create(actor=world.keeper, address="Краснодар, ул. Садовая, 99", found_on=TODAY,
                          municipality=world.town)
    assert (lost.location, lost.lat, lost.municipality) == ("not_found", None, world.town)
    assert _events("construction.illegal_created") == 3
    assert Change.objects.filter(object_id=lost.pk).exists()  # "entered in the registry"


def test_a_point_outside_the_region_or_the_named_municipality_is_refused(world):
    with pytest.raises(ValidationError) as outside:
        illegal_create(actor=world.keeper, address="Где-то", found_on=TODAY, lat=10.0, lon=10.0)
    assert "outside the region" in str(outside.value)
    with pytest.raises(ValidationError) as swapped:
        illegal_create(actor=world.keeper, address="Где-то", found_on=TODAY, lat=LON, lon=LAT)
    assert "swapped" in str(swapped.value)
    with pytest.raises(ValidationError) as elsewhere:
        illegal_create(actor=world.keeper, address="Где-то", found_on=TODAY, lat=LAT, lon=LON,
                       municipality=world.village)
    assert "Краснодар" in str(elsewhere.value)
    with pytest.raises(ValidationError) as bad:
        illegal_create(actor=world.keeper, address=" ", found_on=TODAY + timedelta(days=1), lat=LAT,
                       cadastral_number="12-34")
    assert set(bad.value.message_dict) == {"address", "found_on", "cadastral_number", "lon"}
    assert not IllegalConstruction.objects.exists() and not _events("construction.illegal_created")


def test_only_keepers_write_and_a_refusal_changes_nothing(world):
    entry = illegal_construction(municipality=world.town)
    outsider = StaffFactory()
    assign(outsider, Role.EXECUTOR, organisation=OrganisationFactory())
    for person in (world.resident, outsider):
        with pytest.raises(PermissionDenied):
            illegal_create(actor=person, address="Краснодар", found_on=TODAY, lat=LAT, lon=LON)
        with pytest.raises(PermissionDenied):
            illegal_update(actor=person, construction=entry, status="demolished")
        with pytest.raises(PermissionDenied):
            measure_add(actor=person, construction=entry, kind="fine", taken_on=TODAY, amount=100)
        with pytest.raises(PermissionDenied):
            illegal_import(actor=person, rows=[{"address": "x", "found_on": TODAY}])
    entry.refresh_from_db()
    assert entry.status == "identified" and IllegalConstruction.objects.count() == 1
    assert not Measure.objects.exists() and not Event.objects.filter(kind__startswith="construction.").exists()


def test_illegal_update_keeps_the_history_and_places_again(world):
    entry = illegal_create(actor=world.keeper, address="Краснодар, ул. Садовая, 99", found_on=TODAY,
                           owner="Иванов И. И.")
    assert entry.location == "not_found"
    entry = illegal_update(actor=world.keeper, construction=entry, address="Краснодар, ул. Зелёная, 7",
                           owner="ООО «Ромашка»", note="уточнён адрес")
    assert entry.location == "geocoded" and entry.lat == LAT + 0.02
    change = Change.objects.filter(object_id=entry.pk).first()
    assert change.note == "уточнён адрес"
    assert change.changes["address"] == ["Краснодар, ул. Садовая, 99", "Краснодар, ул. Зелёная, 7"]
    assert change.changes["location"] == ["address not found", "found by the address"]
    event = Event.objects.filter(kind="construction.illegal_updated").get()
    assert "address" in event.payload["changes"] and event.payload["illegal_id"] == entry.pk
    # the same values again change nothing: a geocoded point is not turned into a point given by hand
    entry = illegal_update(actor=world.keeper, construction=entry, address=entry.address, lat=entry.lat,
                           lon=entry.lon)
    assert entry.location == "geocoded"
    entry = illegal_update(actor=world.keeper, construction=entry, lat=LAT + 0.1, lon=LON + 0.1)
    assert entry.location == "given"
    with pytest.raises(ValidationError):
        illegal_update(actor=world.keeper, construction=entry, source="import")


def test_measure_add_moves_the_status(world):
    entry = illegal_construction(municipality=world.town, found_on=TODAY - timedelta(days=40))
    order = measure_add(actor=world.keeper, construction=entry, kind="demolition_order",
                        taken_on=TODAY - timedelta(days=30), number="17-п")
    entry.refresh_from_db()
    assert entry.status == "measures" and order.number == "17-п"
    measure_add(actor=world.keeper, construction=entry, kind="fine", taken_on=TODAY - timedelta(days=20),
                amount=Decimal("50000"))
    entry.refresh_from_db()
    assert entry.status == "measures"
    demolished = measure_add(actor=world.keeper, construction=entry, kind="demolished", taken_on=TODAY)
    entry.refresh_from_db()
    assert entry.status == "demolished"
    assert _events("construction.measure_added") == 3
    notes = list(Change.objects.filter(object_id=entry.pk).values_list("note", flat=True))
    assert any("demolished" in note for note in notes)
    entry = measure_remove(actor=world.keeper, measure=demolished)
    assert entry.status == "measures" and _events("construction.measure_removed") == 1
    other = illegal_construction(municipality=world.town, found_on=TODAY - timedelta(days=5))
    legalised = measure_add(actor=world.keeper, construction=other, kind="legalised", taken_on=TODAY)
    other.refresh_from_db()
    assert other.status == "legalised"
    assert measure_remove(actor=world.keeper, measure=legalised).status == "identified"


def test_a_measure_is_checked_and_a_refused_one_changes_nothing(world):
    entry = illegal_construction(municipality=world.town, found_on=TODAY - timedelta(days=10))
    with pytest.raises(ValidationError) as no_amount:
        measure_add(actor=world.keeper, construction=entry, kind="fine", taken_on=TODAY)
    assert "amount" in no_amount.value.message_dict
    with pytest.raises(ValidationError) as negative:
        measure_add(actor=world.keeper, construction=entry, kind="fine", taken_on=TODAY, amount=-5)
    assert "amount" in negative.value.message_dict
    with pytest.raises(ValidationError) as early:
        measure_add(actor=world.keeper, construction=entry, kind="demolished", taken_on=TODAY - timedelta(days=30))
    assert "taken_on" in early.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        measure_add(actor=world.keeper, construction=entry, kind="court_case", taken_on=TODAY, court_case=999999)
    assert "court_case" in unknown.value.message_dict
    with pytest.raises(ValidationError):
        measure_add(actor=world.keeper, construction=entry, kind="prayer", taken_on=TODAY)
    entry.refresh_from_db()
    assert entry.status == "identified" and not Measure.objects.exists() and not _events("construction.measure_added")


def test_a_court_case_of_the_lawsuit_monitoring_is_linked(world):
    case = CourtCase.objects.create(number="А32-77/2026", court="Арбитражный суд Краснодарского края",
                                    organisation=OrganisationFactory(), our_side="plaintiff", filed_on=TODAY)
    entry = illegal_construction(municipality=world.town, found_on=TODAY - timedelta(days=3))
    measure = measure_add(actor=world.keeper, construction=entry, kind="court_case", taken_on=TODAY,
                          court_case=case.pk, number="А32-77/2026")
    assert measure.court_case == case
    event = Event.objects.get(kind="construction.measure_added")
    assert event.payload["court_case_id"] == case.pk and event.payload["status"] == "measures"
    # a keeper from the inspection body sees only his body's cases: another body's case is refused like a missing one
    body_keeper = inspector()
    with pytest.raises(ValidationError) as refused:
        measure_add(actor=body_keeper, construction=entry, kind="court_case", taken_on=TODAY, court_case=case.pk)
    assert "court_case" in refused.value.message_dict and entry.measures.count() == 1


def test_the_open_dataset_names_organisations_only(world):
    illegal_construction(municipality=world.town, owner="Петров Пётр Петрович")
    illegal_construction(municipality=world.town, owner="ООО «СтройИнвест»", address="Краснодар, ул. Южная, 1")
    illegal_construction(municipality=world.town, owner="ИП Сидоров С. С.", address="Краснодар, ул. Южная, 2")
    owners = [row["owner"] for row in selectors.open_rows()]
    assert sorted(owners) == ["", "", "ООО «СтройИнвест»"]
    assert selectors.public_owner("Администрация Северского района") == "Администрация Северского района"
    dataset = live_datasets()["construction-illegal"]
    assert dataset.owner_code == "construction-supervision"
    assert "construction.measure_*" in dataset.refresh_on and "construction.illegal_*" in dataset.refresh_on
    rows = list(dataset.rows())
    assert len(rows) == 3 and set(rows[0]) == {column["name"] for column in dataset.columns}
    inspection_body()
    assert opendata.live_refresh(code="construction-illegal").version.row_count == 3


def test_the_resident_who_reported_the_site_is_told_of_each_measure(world):
    reporter = resident()
    request = verification_request(author=reporter, municipality=world.town)
    entry = illegal_construction(municipality=world.town, verification=request, found_on=TODAY - timedelta(days=2))
    measure_add(actor=world.keeper, construction=entry, kind="demolition_order", taken_on=TODAY)
    deliver_pending()
    note = Notification.objects.get(user=reporter, kind="construction.measure_added")
    assert "предписание о сносе" in note.title and note.url == entry.get_absolute_url()  # the resident's language
    assert not Notification.objects.filter(user=world.keeper).exists()
