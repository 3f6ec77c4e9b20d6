"""The works' services: entering and changing a work (validation, the body in reach, history), the status moves
with their dates, the plan's move, files, subscriptions and the notifications to subscribers (start, slips through
a reschedule and through the daily job — told once —, completion with the invitation to rate), ratings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from krai.construction.models import Change, Work, WorkKind, WorkRating, WorkStatus, WorkSubscription
from krai.construction.services import works as services
from krai.construction.services import works_residents as residents
from krai.construction.services import works_slips as slips
from krai.construction.tasks_works import check_slipping_works
from krai.construction.tests.factories import LAT, LON, body_staff, keeper, municipality, resident, work
from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.files.models import Attachment
from krai.core.notifications.models import Notification
from krai.org.addresses import selectors as addresses
from krai.org.addresses.selectors import Place
from krai.org.tests.factories import OrganisationFactory
from krai.projects.models import Programme

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _kinds() -> list[str]:
    return list(Event.objects.order_by("id").values_list("kind", flat=True))


def _fields(body, **extra):
    return {"name": "Ремонт двора на ул. Северной, 5", "kind": WorkKind.YARD, "address": "Краснодар, ул. Северная, 5",
            "street": "Северная", "lat": LAT, "lon": LON, "responsible_body": body, "contractor": "ООО «Двор»",
            "planned_start": TODAY + timedelta(days=5), "planned_end": TODAY + timedelta(days=30), **extra}


def _told(kind: str) -> list[int]:
    deliver_pending()
    return sorted(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


# --- entering and changing ---------------------------------------------------------------------------

def test_work_create_by_the_body_staff_places_it_and_records_the_event() -> None:
    town = municipality()
    body = OrganisationFactory()
    staff = body_staff(body)
    item = services.work_create(actor=staff, **_fields(body, cost="1250000.5"))
    assert item.municipality == town and item.status == WorkStatus.PLANNED and item.created_by == staff
    assert item.cost == Decimal("1250000.50")
    assert _kinds() == ["construction.work_created"]


def test_work_create_refuses_bad_input_and_changes_nothing() -> None:
    municipality()
    body = OrganisationFactory()
    staff = body_staff(body)
    with pytest.raises(ValidationError) as refused:
        services.work_create(actor=staff, **_fields(body, planned_end=TODAY - timedelta(days=1)))
    assert "planned_end" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.work_create(actor=staff, **_fields(body, lat=10.0, lon=10.0))
    assert "outside the region" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.work_create(actor=staff, **_fields(body, programme=999999, contractor_inn="12", name=""))
    assert {"programme", "contractor_inn", "name"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        services.work_create(actor=staff, **_fields(body, geometry={"type": "LineString", "coordinates": [[1]]}))
    assert "geometry" in refused.value.message_dict
    with pytest.raises(ValidationError, match="only of the bodies you act for"):
        services.work_create(actor=staff, **_fields(OrganisationFactory()))
    with pytest.raises(PermissionDenied):
        services.work_create(actor=resident(), **_fields(body))
    assert not Work.objects.exists() and not Event.objects.exists()


def test_work_create_geocodes_the_address_and_links_the_programme(monkeypatch) -> None:
    town = municipality()
    body = OrganisationFactory()
    programme = Programme.objects.create(code="roads", title="Безопасные качественные дороги", owner_organisation=body,
                                         starts_on=TODAY, ends_on=TODAY + timedelta(days=900))
    place = Place(label="Краснодар, ул. Северная", kind="street", municipality_id=town.pk, municipality=town.name,
                  locality="Краснодар", street="улица Северная", house="", lat=LAT + 0.01, lon=LON + 0.01)
    monkeypatch.setattr(addresses, "search", lambda text, **kw: [place] if "Северная" in text else [])
    item = services.work_create(actor=keeper(), **_fields(body, lat=None, lon=None, street="", programme=programme))
    assert (item.lat, item.lon, item.street, item.municipality) == (LAT + 0.01, LON + 0.01, "улица Северная", town)
    assert item.programme == programme
    with pytest.raises(ValidationError, match="address is not found"):
        services.work_create(actor=keeper(), **_fields(body, lat=None, lon=None, address="Нигде, 1"))


def test_work_update_keeps_history_and_refuses_the_plan_and_other_bodies() -> None:
    item = work()
    staff = body_staff(item.responsible_body)
    services.work_update(actor=staff, work=item, contractor="ООО «Новый подрядчик»", note="Договор расторгнут")
    change = Change.objects.get()
    assert change.changes["contractor"] == ["ООО «ДорСтрой»", "ООО «Новый подрядчик»"]
    assert change.note == "Договор расторгнут"
    assert Event.objects.get(kind="construction.work_updated").payload["changes"]["contractor"][1] == \
        "ООО «Новый подрядчик»"
    with pytest.raises(ValidationError, match="Reschedule"):
        services.work_update(actor=staff, work=item, planned_end=item.planned_end + timedelta(days=1))
    services.work_update(actor=staff, work=item, contractor="ООО «Новый подрядчик»")  # nothing new: no event
    assert _kinds().count("construction.work_updated") == 1
    stranger = body_staff()
    with pytest.raises(PermissionDenied):
        services.work_update(actor=stranger, work=item, contractor="Чужой")
    assert Work.objects.get(pk=item.pk).contractor == "ООО «Новый подрядчик»"


# --- the life of a work, and who hears of it ----------------------------------------------------------

def test_the_lifecycle_tells_the_subscribers_start_slip_and_end_with_the_rating_invitation() -> None:
    item = work(planned_start=TODAY - timedelta(days=3), planned_end=TODAY + timedelta(days=20))
    staff = body_staff(item.responsible_body)
    follower, unconfirmed = resident(), resident(email_confirmed=False)
    residents.work_subscribe(actor=follower, work=item)
    residents.work_subscribe(actor=unconfirmed, work=item)
    services.work_start(actor=staff, work=item)
    assert item.status == WorkStatus.IN_PROGRESS and item.actual_start == TODAY
    assert _told("construction.work_started") == sorted([follower.pk, unconfirmed.pk])
    services.work_reschedule(actor=staff, work=item, planned_start=item.planned_start,
                             planned_end=item.planned_end + timedelta(days=14), reason="Поставка труб задержана")
    slipped = Event.objects.get(kind="construction.work_slipped")
    assert slipped.payload["reason"] == "rescheduled" and slipped.payload["days"] == 14
    assert _told("construction.work_slipped") == sorted([follower.pk, unconfirmed.pk])
    assert "Поставка труб задержана" in Notification.objects.filter(kind="construction.work_slipped").first().body
    services.work_reschedule(actor=staff, work=item, planned_start=item.planned_start,
                             planned_end=item.planned_end - timedelta(days=2), reason="Успеваем раньше")
    assert _kinds().count("construction.work_slipped") == 1  # an earlier end is no slip
    services.work_suspend(actor=staff, work=item, reason="Дожди")
    services.work_resume(actor=staff, work=item)
    services.work_complete(actor=staff, work=item)
    assert item.status == WorkStatus.COMPLETED and item.actual_end == TODAY
    assert _told("construction.work_completed") == sorted([follower.pk, unconfirmed.pk])
    assert _told("construction.work_rating_invited") == [follower.pk]  # only who may rate is asked
    invitation = Notification.objects.get(kind="construction.work_rating_invited")
    assert invitation.url == f"/works/{item.pk}/#rate"
    assert Notification.objects.filter(user=staff).count() == 0  # the one who moved it knows
    assert Change.objects.filter(object_id=item.pk).count() == 6


def test_moves_check_state_and_dates() -> None:
    item = work()
    staff = body_staff(item.responsible_body)
    with pytest.raises(ValidationError, match="started work"):
        services.work_complete(actor=staff, work=item)
    with pytest.raises(ValidationError, match="future"):
        services.work_start(actor=staff, work=item, on=TODAY + timedelta(days=1))
    services.work_start(actor=staff, work=item, on=TODAY - timedelta(days=5))
    with pytest.raises(ValidationError, match="before it started"):
        services.work_complete(actor=staff, work=item, on=TODAY - timedelta(days=6))
    with pytest.raises(ValidationError, match="Say why"):
        services.work_suspend(actor=staff, work=item, reason=" ")
    services.work_complete(actor=staff, work=item, on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="keeps its plan"):
        services.work_reschedule(actor=staff, work=item, planned_start=TODAY, planned_end=TODAY, reason="x")
    assert Work.objects.get(pk=item.pk).actual_end == TODAY - timedelta(days=1)


def test_the_daily_job_tells_each_slip_once() -> None:
    late_start = work(planned_start=TODAY - timedelta(days=2), planned_end=TODAY + timedelta(days=30))
    late_end = work(status=WorkStatus.IN_PROGRESS, actual_start=TODAY - timedelta(days=40),
                    planned_start=TODAY - timedelta(days=40), planned_end=TODAY - timedelta(days=1))
    fine = work()
    follower = resident()
    for item in (late_start, late_end, fine):
        residents.work_subscribe(actor=follower, work=item)
    check_slipping_works()
    events = Event.objects.filter(kind="construction.work_slipped")
    assert sorted((e.subject_id, e.payload["reason"]) for e in events) == sorted(
        [(str(late_start.pk), "start"), (str(late_end.pk), "end")])
    assert len(_told("construction.work_slipped")) == 2
    assert slips.works_check_slips() == 0  # the next day's run: told already
    check_slipping_works()
    assert len(_told("construction.work_slipped")) == 2
    # a new plan that passes again is a new slip
    staff = body_staff(late_end.responsible_body)
    services.work_reschedule(actor=staff, work=late_end, planned_start=late_end.planned_start,
                             planned_end=TODAY + timedelta(days=3), reason="Перенос")
    assert slips.works_check_slips(today=TODAY + timedelta(days=5)) == 1
    newest = Event.objects.filter(kind="construction.work_slipped").latest("id")
    assert newest.payload["planned"] == (TODAY + timedelta(days=3)).isoformat() and newest.payload["days"] == 2


# --- files ---------------------------------------------------------------------------------------------

def test_work_attach_takes_documents_and_photos_of_their_kinds() -> None:
    item = work()
    staff = body_staff(item.responsible_body)
    attachment = services.work_attach(actor=staff, work=item, upload=SimpleUploadedFile("smeta.pdf", PDF),
                                      kind="document")
    assert attachment.kind == Attachment.Kind.PDF
    assert Event.objects.get(kind="construction.work_file_added").payload["file_kind"] == "document"
    with pytest.raises(ValidationError):
        services.work_attach(actor=staff, work=item, upload=SimpleUploadedFile("smeta.pdf", PDF), kind="photo")
    with pytest.raises(PermissionDenied):
        services.work_attach(actor=body_staff(), work=item, upload=SimpleUploadedFile("a.pdf", PDF))
    assert Attachment.objects.count() == 1


# --- subscriptions and ratings ------------------------------------------------------------------------

def test_work_subscribe_once_and_work_unsubscribe() -> None:
    item = work()
    person = resident()
    row, created = residents.work_subscribe(actor=person, work=item)
    assert created and residents.work_subscribe(actor=person, work=item) == (row, False)
    assert residents.work_unsubscribe(actor=person, work=item) is True
    assert residents.work_unsubscribe(actor=person, work=item) is False
    assert not WorkSubscription.objects.exists()
    assert _kinds() == ["construction.work_subscribed", "construction.work_unsubscribed"]


def test_work_subscribe_is_rate_limited(settings) -> None:
    settings.KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE = "2/h"
    person = resident()
    for item in (work(), work()):
        residents.work_subscribe(actor=person, work=item)
    with pytest.raises(ValidationError, match="too often"):
        residents.work_subscribe(actor=person, work=work())
    assert WorkSubscription.objects.count() == 2


def test_work_rate_only_when_completed_once_per_person_changeable() -> None:
    item = work()
    person = resident()
    with pytest.raises(ValidationError, match="once it is completed"):
        residents.work_rate(actor=person, work=item, score=5)
    Work.objects.filter(pk=item.pk).update(status=WorkStatus.COMPLETED, actual_start=TODAY, actual_end=TODAY)
    item.refresh_from_db()
    rating, created = residents.work_rate(actor=person, work=item, score=2, comment="Бордюры кривые")
    assert rating.comment == "Бордюры кривые" and created
    assert (item.ratings_count, item.ratings_total, item.rating) == (1, 2, 2.0)
    _rating, created = residents.work_rate(actor=person, work=item, score=4)
    assert not created and WorkRating.objects.count() == 1
    residents.work_rate(actor=resident(), work=item, score=5)
    item.refresh_from_db()
    assert (item.ratings_count, item.ratings_total, item.rating) == (2, 9, 4.5)
    for score in (0, 6, "abc", True):
        with pytest.raises(ValidationError):
            residents.work_rate(actor=person, work=item, score=score)
    with pytest.raises(PermissionDenied, match="Confirm"):
        residents.work_rate(actor=resident(email_confirmed=False), work=item, score=5)
    with pytest.raises(PermissionDenied, match="own works"):
        residents.work_rate(actor=body_staff(item.responsible_body), work=item, score=5)
    assert Work.objects.get(pk=item.pk).ratings_total == 9
    assert _kinds().count("construction.work_rated") == 3


def test_erasure_drops_subscriptions_and_scrubs_rating_comments_but_keeps_the_figures() -> None:
    from django.db import transaction

    from krai.core.privacy import erase_person, exported_sections

    item = work(status=WorkStatus.COMPLETED, planned_start=TODAY, planned_end=TODAY, actual_start=TODAY,
                actual_end=TODAY)
    person = resident(surname="Криворучко")
    residents.work_subscribe(actor=person, work=item)
    residents.work_rate(actor=person, work=item, score=3, comment="Пишет Криворучко: плитка треснула")
    exported = exported_sections(person)["construction.works"]
    assert exported["ratings"][0]["score"] == 3 and exported["subscriptions"][0]["work"] == item.pk
    with transaction.atomic():
        erase_person(user=person)
    rating = WorkRating.objects.get()
    assert "Криворучко" not in rating.comment and "плитка треснула" in rating.comment
    assert not WorkSubscription.objects.exists()
    assert Work.objects.get(pk=item.pk).ratings_total == 3
