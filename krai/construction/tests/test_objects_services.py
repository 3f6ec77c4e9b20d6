"""The registry's writes: only keepers write and a refusal changes nothing; the place, the permit and the approved
parameters are validated with clear messages by field; the history keeps what changed with the note; stage moves;
documents and photos through the kernel's files; events."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from krai.construction.models import Change, ConstructionObject, ObjectStage
from krai.construction.selectors import objects as selectors
from krai.construction.selectors.history import history_of
from krai.construction.services.objects import object_attach, object_create, object_set_stage, object_update
from krai.construction.tests import factories as f
from krai.core.events.models import Event
from krai.core.files.models import Attachment
from krai.org.tests.factories import MunicipalityFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return f.municipality(name="Краснодар")


@pytest.fixture
def keeper():
    return f.keeper()


def fields(municipality=None, **extra):
    values = {"name": "Жилой комплекс «Солнечный»", "address": "Краснодар, ул. Солнечная, 1", "lat": f.LAT,
              "lon": f.LON, "kind": "residential", "developer": "ООО «Стройка»", "developer_inn": "2308000000",
              "permit_number": "23-RU-1", "permit_date": date(2026, 1, 10), "permit_valid_until": date(2028, 1, 10),
              "approved_floors": 12, "approved_area": "8000.5", "cadastral_number": "23:43:0123456:789"}
    if municipality is not None:
        values["municipality"] = municipality
    return {**values, **extra}


def image_upload(name="site.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="permit.pdf"):
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def messages_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- creating ----------------------------------------------------------------------------------------

def test_object_create_finds_the_municipality_and_records_history_and_event(place, keeper):
    obj = object_create(actor=keeper, **fields())
    assert obj.municipality == place and obj.created_by == keeper
    assert obj.stage == ObjectStage.PERMIT_ISSUED and str(obj.approved_area) == "8000.50"
    change = history_of(obj).get()
    assert change.actor == keeper and change.changes["name"] == [None, "Жилой комплекс «Солнечный»"]
    assert change.changes["kind"][1] == "residential building"
    event = Event.objects.get(kind="construction.object_created")
    assert event.payload["object_id"] == obj.pk and event.payload["municipality_id"] == place.pk


@pytest.mark.parametrize("who", ["anonymous", "resident", "inspector_of_other_body"])
def test_object_create_refused_to_others_writes_nothing(place, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {"anonymous": AnonymousUser(), "resident": f.resident(),
             "inspector_of_other_body": f.body_staff()}[who]
    with pytest.raises(PermissionDenied):
        object_create(actor=actor, **fields())
    assert not ConstructionObject.objects.exists() and not Change.objects.exists()
    assert not Event.objects.filter(kind__startswith="construction.").exists()


def test_the_inspection_bodys_staff_keep_the_registry(place):
    obj = object_create(actor=f.inspector(), **fields())
    assert obj.pk


@pytest.mark.parametrize(("extra", "field", "text"), [
    ({"cadastral_number": "23-43-1"}, "cadastral_number", "23:43:0123456:789"),
    ({"cadastral_number": "23:43:12345:1"}, "cadastral_number", "cadastral number"),
    ({"developer_inn": "12345"}, "developer_inn", "10 digits"),
    ({"developer_inn": "12345678901"}, "developer_inn", "10 digits"),
    ({"approved_floors": 0}, "approved_floors", "from 1 to 200"),
    ({"approved_floors": 201}, "approved_floors", "from 1 to 200"),
    ({"approved_area": "0"}, "approved_area", "more than 0"),
    ({"approved_area": "-5"}, "approved_area", "more than 0"),
    ({"approved_area": "много"}, "approved_area", "a number"),
    ({"permit_valid_until": date(2025, 1, 1)}, "permit_valid_until", "before the date it was issued"),
    ({"name": "  "}, "name", "required"),
    ({"kind": "castle"}, "kind", "from the list"),
    ({"lat": 55.75, "lon": 37.62}, "lat", "outside the region"),
    ({"lat": None}, "lat", "both the latitude and the longitude"),
    ({"polygon": {"type": "Point", "coordinates": [1, 2]}}, "polygon", "Polygon or MultiPolygon"),
    ({"polygon": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}, "polygon",
     "not a valid polygon"),
])
def test_object_create_validates_with_a_message_by_field(place, keeper, extra, field, text):
    with pytest.raises(ValidationError) as exc:
        object_create(actor=keeper, **fields(**extra))
    assert text in " ".join(messages_of(exc)[field])
    assert not ConstructionObject.objects.exists() and not Change.objects.exists()


def test_bad_fields_are_told_all_at_once(place, keeper):
    with pytest.raises(ValidationError) as exc:
        object_create(actor=keeper, **fields(developer_inn="1", approved_floors=500, cadastral_number="x"))
    assert {"developer_inn", "approved_floors", "cadastral_number"} <= set(messages_of(exc))


def test_a_named_municipality_must_hold_the_point(place, keeper):
    elsewhere = MunicipalityFactory(boundary=square(40.0, 44.0), name="Другой район")
    with pytest.raises(ValidationError) as exc:
        object_create(actor=keeper, **fields(municipality=elsewhere))
    assert "not in Другой район" in messages_of(exc)["municipality"][0]
    assert object_create(actor=keeper, **fields(municipality=place)).municipality == place


def test_an_outline_without_a_point_gives_its_centroid(place, keeper):
    outline = square(f.LON - 0.01, f.LAT - 0.01, 0.02)
    obj = object_create(actor=keeper, **fields(lat=None, lon=None, polygon=outline))
    assert obj.lat == pytest.approx(f.LAT) and obj.lon == pytest.approx(f.LON)
    assert obj.municipality == place and obj.polygon["type"] == "Polygon"


def test_an_address_is_looked_up_when_no_point_is_given(place, keeper, monkeypatch):
    from krai.construction.services import _objects_checks as services

    monkeypatch.setattr(services, "_geocoded", lambda address, municipality: (f.LAT + 0.001, f.LON, place.pk))
    obj = object_create(actor=keeper, **fields(lat=None, lon=None))
    assert obj.lat == pytest.approx(f.LAT + 0.001) and obj.municipality == place
    monkeypatch.setattr(services, "_geocoded", lambda address, municipality: None)
    unplaced = object_create(actor=keeper, **fields(lat=None, lon=None, municipality=place))
    assert unplaced.lat is None and unplaced.municipality == place  # kept, not placed somewhere wrong


# --- changing ----------------------------------------------------------------------------------------

def test_object_update_keeps_the_differences_and_the_note(place, keeper):
    obj = object_create(actor=keeper, **fields())
    object_update(actor=keeper, construction_object=obj, note="Изменение разрешения", approved_floors=14,
                  permit_number="23-RU-2")
    obj.refresh_from_db()
    assert obj.approved_floors == 14
    change = history_of(obj).first()
    assert change.changes == {"approved_floors": [12, 14], "permit_number": ["23-RU-1", "23-RU-2"]}
    assert change.note == "Изменение разрешения"
    event = Event.objects.get(kind="construction.object_updated")
    assert event.payload["changes"]["approved_floors"] == [12, 14]
    assert not Event.objects.filter(kind="construction.object_stage_changed").exists()


def test_object_update_refused_or_invalid_changes_nothing(place, keeper):
    obj = object_create(actor=keeper, **fields())
    before = (Change.objects.count(), Event.objects.count())
    with pytest.raises(PermissionDenied):
        object_update(actor=f.resident(), construction_object=obj, approved_floors=3)
    with pytest.raises(ValidationError):
        object_update(actor=keeper, construction_object=obj, approved_floors=3, permit_valid_until=date(2020, 1, 1))
    obj.refresh_from_db()
    assert obj.approved_floors == 12 and obj.permit_valid_until == date(2028, 1, 10)
    assert (Change.objects.count(), Event.objects.count()) == before


def test_a_moved_point_moves_the_municipality(place, keeper):
    obj = object_create(actor=keeper, **fields())
    other = MunicipalityFactory(boundary=square(40.0, 44.0), name="Другой район")
    object_update(actor=keeper, construction_object=obj, lat=44.1, lon=40.1)
    assert obj.municipality == other
    assert history_of(obj).first().changes["municipality"] == ["Краснодар", "Другой район"]


def test_a_stage_changed_by_update_is_a_stage_change_too(place, keeper):
    obj = object_create(actor=keeper, **fields())
    object_update(actor=keeper, construction_object=obj, stage=ObjectStage.UNDER_CONSTRUCTION)
    assert Event.objects.get(kind="construction.object_stage_changed").payload["to"] == "under_construction"


# --- stages ------------------------------------------------------------------------------------------

def test_object_set_stage_in_any_order_and_back_from_commissioned_only_with_a_note(place, keeper):
    obj = object_create(actor=keeper, **fields())
    object_set_stage(actor=keeper, construction_object=obj, stage=ObjectStage.COMMISSIONED)
    with pytest.raises(ValidationError) as exc:
        object_set_stage(actor=keeper, construction_object=obj, stage=ObjectStage.SUSPENDED)
    assert "with a note" in messages_of(exc)["note"][0]
    obj.refresh_from_db()
    assert obj.stage == ObjectStage.COMMISSIONED
    object_set_stage(actor=keeper, construction_object=obj, stage=ObjectStage.SUSPENDED,
                     note="Ввод отменён решением суда")
    assert obj.stage == ObjectStage.SUSPENDED
    change = history_of(obj).first()
    assert change.changes == {"stage": ["commissioned", "suspended"]} and change.note == "Ввод отменён решением суда"
    kinds = list(Event.objects.filter(kind="construction.object_stage_changed").values_list("payload", flat=True))
    assert [(p["from"], p["to"]) for p in kinds] == [("permit_issued", "commissioned"), ("commissioned", "suspended")]


def test_object_set_stage_refusals(place, keeper):
    obj = object_create(actor=keeper, **fields())
    with pytest.raises(ValidationError):
        object_set_stage(actor=keeper, construction_object=obj, stage=ObjectStage.PERMIT_ISSUED)  # already there
    with pytest.raises(ValidationError):
        object_set_stage(actor=keeper, construction_object=obj, stage="demolished")
    with pytest.raises(PermissionDenied):
        object_set_stage(actor=f.resident(), construction_object=obj, stage=ObjectStage.SUSPENDED)
    obj.refresh_from_db()
    assert obj.stage == ObjectStage.PERMIT_ISSUED
    assert not Event.objects.filter(kind="construction.object_stage_changed").exists()


# --- files -------------------------------------------------------------------------------------------

def test_object_attach_documents_and_photos(place, keeper):
    obj = object_create(actor=keeper, **fields())
    document = object_attach(actor=keeper, construction_object=obj, upload=pdf_upload(), kind="document")
    with pytest.raises(ValidationError):  # a scanned document goes as a PDF: an image is a photo
        object_attach(actor=keeper, construction_object=obj, upload=image_upload("scan.png"), kind="document")
    photo = object_attach(actor=keeper, construction_object=obj, upload=image_upload(), kind="photo")
    documents, photos = selectors.object_files(obj, user=f.resident())
    assert [a.pk for a in documents] == [document.pk] and [a.pk for a in photos] == [photo.pk]
    assert history_of(obj).first().changes == {"photo": [None, "site.png"]}
    event = Event.objects.filter(kind="construction.object_file_added").last()
    assert event.payload == {"object_id": obj.pk, "attachment_id": photo.pk, "kind": "photo", "name": "site.png"}


def test_object_attach_refusals_store_nothing(place, keeper):
    obj = object_create(actor=keeper, **fields())
    with pytest.raises(ValidationError) as exc:
        object_attach(actor=keeper, construction_object=obj, upload=pdf_upload(), kind="photo")
    assert "not accepted" in messages_of(exc)["file"][0]
    with pytest.raises(ValidationError):
        object_attach(actor=keeper, construction_object=obj, upload=pdf_upload(), kind="video")
    with pytest.raises(PermissionDenied):
        object_attach(actor=f.resident(), construction_object=obj, upload=image_upload(), kind="photo")
    assert not Attachment.objects.exists()
    assert not Event.objects.filter(kind="construction.object_file_added").exists()


# --- search and cards --------------------------------------------------------------------------------

def test_objects_are_found_by_the_site_search_and_shown_as_cards(place, keeper, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import AnonymousUser

    from krai.construction.subscribers_objects import object_card
    from krai.core.events.dispatch import deliver_pending
    from krai.core.search.selectors import search

    obj = object_create(actor=keeper, **fields(name="Жилой комплекс Солнечный"))
    with django_capture_on_commit_callbacks(execute=True):
        deliver_pending()
    found = search(user=AnonymousUser(), query="Солнечный")
    assert [result.url for result in found] == [obj.get_absolute_url()]
    card = object_card(AnonymousUser(), pk=obj.pk)
    assert card.title == "Жилой комплекс Солнечный" and card.url == obj.get_absolute_url()


def test_nearby_objects_closest_first_within_the_distance(place):
    far = f.construction_object(municipality=place, name="Далеко", lat=f.LAT + 0.01)  # about 1.1 km north
    near = f.construction_object(municipality=place, name="Рядом", lat=f.LAT + 0.001)  # about 111 m
    here = f.construction_object(municipality=place, name="Здесь")
    f.construction_object(municipality=place, name="Без точки", lat=None, lon=None)
    found = selectors.nearby_objects(f.LAT, f.LON, 300)
    assert [obj.pk for obj in found] == [here.pk, near.pk]
    assert found[0].distance_m == 0 and 105 < found[1].distance_m < 116
    assert far.pk in [obj.pk for obj in selectors.nearby_objects(f.LAT, f.LON, 1200)]


def test_object_list_filters_by_field_words(place):
    f.construction_object(municipality=place, name="А", developer="ООО «Южный дом»", developer_inn="2309111111")
    f.construction_object(municipality=place, name="Б", developer="АО «Север»", cadastral_number="23:01:0101010:5")
    assert [o.name for o in selectors.object_list({"developer": "южный"})] == ["А"]
    assert [o.name for o in selectors.object_list({"developer": "2309111111"})] == ["А"]
    assert [o.name for o in selectors.object_list({"cadastral": "23:01:"})] == ["Б"]
    assert [o.name for o in selectors.object_list({"permit": "23-RU23306000"})] == ["А", "Б"]
    assert [o.name for o in selectors.object_list({"q": "север 23:01:0101010:5"})] == ["Б"]
    assert [o.name for o in selectors.object_list({"municipality": "x", "kind": "castle"})] == ["А", "Б"]
