"""The verification part's services: a resident files a request (the inspection body's assignment opened with its
deadline, photos all or none), the inspector answers it (the assignment accepted, the result public, the author
told; "illegal" enters the illegal construction), a keeper cancels a duplicate; the request follows its assignment;
refusals change nothing; the rate limit; what is nearby; the queue scoped to the reader's body; erasure."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone
from PIL import Image

from krai.construction.models import IllegalConstruction, Inspection, RequestStatus, Source, VerificationRequest
from krai.construction.selectors import verification as selectors
from krai.construction.services.verification import (
    request_cancel,
    request_file,
    request_follow_assignment,
    request_inspect,
)
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
from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.files.models import Attachment
from krai.core.notifications.models import Notification
from krai.orders import selectors as control_selectors
from krai.orders import services as control
from krai.orders.models import Assignment, Status
from krai.org.tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
METRE = 1 / 111_195  # a metre of latitude in degrees


def png(name: str = "site.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (120, 60, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def not_an_image(name: str = "site.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"this is no picture at all", content_type="image/jpeg")


@pytest.fixture
def place():
    inspection_body()
    return municipality()


def file_one(author, **fields):
    values = {"reason": "missing", "address": "Краснодар, ул. Северная, 5", "lat": LAT + 0.001, "lon": LON,
              "description": "Строят пятиэтажный дом, в реестре его нет.", "observed_floors": 5, **fields}
    return request_file(actor=author, **values)


def photos_of(target) -> list[Attachment]:
    return list(selectors.photos_of(target))


def test_the_whole_path_from_the_request_to_the_published_result(place):
    body = OrganisationFactory(name="Инспекция района")
    building = construction_object(municipality=place, inspection_body=body, approved_floors=9)
    author = resident(given_name="Анна", surname="Кузнецова")
    request = file_one(author, reason="differs", construction_object=building, observed_floors=12,
                       description="Построили двенадцать этажей вместо девяти.", photos=[png(), png("b.png")])
    assignment = control_selectors.control_for_subject(request)
    assert assignment.kind == "construction" and assignment.executor_organisation == body
    assert request.inspection_body == body and request.due_date == assignment.deadline > timezone.localdate()
    assert request.municipality == place and len(photos_of(request)) == 2
    assert Event.objects.filter(kind="construction.request_filed", subject_id=str(request.pk)).exists()

    officer = inspector(body)
    inspection = request_inspect(actor=officer, request=request, visited_on=timezone.localdate(),
                                 findings="Двенадцать этажей, разрешено девять.", decision="violation",
                                 floors_found=12, photos=[png("visit.png")])
    request.refresh_from_db()
    assignment.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED and request.resolved_at is not None
    assert assignment.status == Status.DONE and assignment.reports.get().text.startswith("Inspected on")
    assert inspection.inspector == officer and len(photos_of(inspection)) == 1
    assert not IllegalConstruction.objects.exists()
    assert Event.objects.filter(kind="construction.request_inspected", payload__decision="violation").exists()
    card = Template("{% load construction_verification %}{% object_verifications building %}").render(
        Context({"building": building}))
    assert "Violation found" in card and "Двенадцать этажей, разрешено девять." in card
    assert request.get_absolute_url() in card

    deliver_pending()
    deliver_pending()
    told = Notification.objects.get(kind="construction.request_inspected")
    assert told.user == author and told.url == request.get_absolute_url()
    assert "выявлено нарушение" in told.title  # in the resident's language (Russian unless he chose another)


def test_an_illegal_construction_is_entered_by_the_inspection(place):
    request = file_one(resident())
    officer = inspector()
    request_inspect(actor=officer, request=request, visited_on=timezone.localdate(), findings="Без разрешения.",
                    decision="illegal", floors_found=5)
    illegal = IllegalConstruction.objects.get()
    assert (illegal.verification, illegal.source, illegal.found_on) == (request, Source.INSPECTION,
                                                                        timezone.localdate())
    assert (illegal.address, illegal.lat, illegal.lon, illegal.municipality) == (
        request.address, request.lat, request.lon, place)
    assert Event.objects.filter(kind="construction.illegal_created", subject_id=str(illegal.pk)).exists()
    assert selectors.illegal_of(VerificationRequest.objects.get()) == illegal


def test_filing_is_refused_with_nothing_changed(place):
    building = construction_object(municipality=place)
    unconfirmed = UserFactory(email_confirmed=False)
    with pytest.raises(PermissionDenied):
        file_one(unconfirmed)
    author = resident()
    with pytest.raises(ValidationError) as outside:
        file_one(author, lat=LAT + 5, lon=LON + 5)
    assert "outside the region" in str(outside.value.message_dict["lat"])
    with pytest.raises(ValidationError) as differs:
        file_one(author, reason="differs")
    assert "object" in differs.value.message_dict
    with pytest.raises(ValidationError) as missing:
        file_one(author, reason="missing", construction_object=building)
    assert "reason" in missing.value.message_dict
    with pytest.raises(ValidationError) as empty:
        file_one(author, description="", observed_floors=0, reason="nonsense")
    assert {"description", "observed_floors", "reason"} <= set(empty.value.message_dict)
    with pytest.raises(ValidationError) as photo:
        file_one(author, photos=[png(), not_an_image("bad.jpg")])
    assert "bad.jpg" in " ".join(photo.value.message_dict["photos"])
    assert not VerificationRequest.objects.exists() and not Assignment.objects.exists()
    assert not Attachment.objects.exists()


def test_without_an_address_the_site_is_named_by_its_place(place):
    request = file_one(resident(), address="  ")
    assert request.address.startswith(place.name) and f"{request.lat:.5f}" in request.address


def test_the_rate_limit(place, settings):
    settings.KRAI_CONSTRUCTION_REQUEST_RATE = "2/d"
    author = resident()
    file_one(author)
    file_one(author)
    with pytest.raises(ValidationError) as refused:
        file_one(author)
    assert "too many" in refused.value.messages[0]
    assert VerificationRequest.objects.count() == 2
    file_one(resident())  # another resident is not limited by him


def test_only_the_request_s_inspectors_answer_it_and_only_once(place):
    body = OrganisationFactory()
    request = file_one(resident(), reason="differs",
                       construction_object=construction_object(municipality=place, inspection_body=body))
    stranger = inspector(OrganisationFactory())
    for actor in (stranger, resident(), request.author):
        with pytest.raises(PermissionDenied):
            request_inspect(actor=actor, request=request, visited_on=timezone.localdate(), findings="Нет.",
                            decision="legal")
    assert not Inspection.objects.exists()
    assert control_selectors.control_for_subject(request).status == Status.ISSUED
    officer = inspector(body)
    with pytest.raises(ValidationError) as future:
        request_inspect(actor=officer, request=request, visited_on=timezone.localdate() + timedelta(days=1),
                        findings="Нет.", decision="legal")
    assert "future" in str(future.value.message_dict["visited_on"])
    with pytest.raises(ValidationError) as early:
        request_inspect(actor=officer, request=request, visited_on=timezone.localdate() - timedelta(days=1),
                        findings="Нет.", decision="legal")
    assert "before the request" in str(early.value.message_dict["visited_on"])
    with pytest.raises(ValidationError):
        request_inspect(actor=officer, request=request, visited_on=timezone.localdate(), findings="",
                        decision="maybe")
    assert not Inspection.objects.exists()
    request_inspect(actor=officer, request=request, visited_on=timezone.localdate(), findings="Всё законно.",
                    decision="legal")
    with pytest.raises(ValidationError) as twice:
        request_inspect(actor=officer, request=request, visited_on=timezone.localdate(), findings="Ещё раз.",
                        decision="illegal")
    assert "already verified" in twice.value.messages[0]
    assert Inspection.objects.get().findings == "Всё законно." and not IllegalConstruction.objects.exists()


def test_a_keeper_cancels_a_duplicate_and_the_author_is_told(place):
    request = file_one(resident())
    with pytest.raises(PermissionDenied):
        request_cancel(actor=request.author, request=request, reason="Дубликат")
    with pytest.raises(ValidationError):
        request_cancel(actor=keeper(), request=request, reason=" ")
    assert VerificationRequest.objects.get().status == RequestStatus.OPEN
    request_cancel(actor=keeper(), request=request, reason="Дубликат запроса № 1")
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert control_selectors.control_for_subject(request).status == Status.CANCELLED
    with pytest.raises(ValidationError):
        request_inspect(actor=inspector(), request=request, visited_on=timezone.localdate(), findings="Нет.",
                        decision="legal")
    deliver_pending()
    told = Notification.objects.get(kind="construction.request_cancelled")
    assert told.user == request.author and "Дубликат запроса № 1" in told.body


def test_the_request_follows_its_assignment_to_another_body(place):
    request = file_one(resident())
    assignment = control_selectors.control_for_subject(request)
    other = OrganisationFactory(name="Госстройнадзор района")
    control.control_reassign(actor=None, assignment=assignment, executor_organisation=other, reason="По месту")
    deliver_pending()
    request.refresh_from_db()
    assert request.inspection_body == other
    assert Event.objects.filter(kind="construction.request_followed", subject_id=str(request.pk)).exists()
    # a request already answered stays as it was
    assignment.refresh_from_db()
    request_inspect(actor=inspector(other), request=request, visited_on=timezone.localdate(), findings="Норма.",
                    decision="legal")
    assert request_follow_assignment(request=request, assignment=assignment).inspection_body == other


def test_nearby_closest_first_within_the_radius(place):
    far = construction_object(name="Дальний", municipality=place, lat=LAT + 500 * METRE, lon=LON)
    near = construction_object(name="Ближний", municipality=place, lat=LAT + 40 * METRE, lon=LON)
    middle = construction_object(name="Средний", municipality=place, lat=LAT - 150 * METRE, lon=LON)
    open_near = verification_request(lat=LAT + 100 * METRE, lon=LON)
    open_nearer = verification_request(lat=LAT, lon=LON + 30 * METRE / 0.7071)
    verification_request(lat=LAT, lon=LON, status=RequestStatus.RESOLVED)
    found = selectors.nearby(LAT, LON, 300)
    assert [n.item for n in found.objects] == [near, middle]
    assert 35 <= found.objects[0].metres <= 45
    assert [n.item for n in found.requests] == [open_nearer, open_near]
    assert far in [n.item for n in selectors.nearby(LAT, LON, 600).objects]


def test_the_queue_is_the_reader_s_body_s(place):
    body = OrganisationFactory()
    own = verification_request(inspection_body=body, due_date=timezone.localdate() - timedelta(days=1))
    later = verification_request(inspection_body=body)
    central = verification_request()
    assert list(selectors.queue_open(inspector(body))) == [own, later]
    assert selectors.is_overdue(own) and not selectors.is_overdue(later)
    assert set(selectors.queue_open(keeper())) == {own, later, central}
    assert set(selectors.queue_open(inspector())) == {own, later, central}  # the configured body keeps them all
    assert not selectors.queue_open(inspector(OrganisationFactory())).exists()
    assert not selectors.queue_open(resident()).exists()


def test_erasure_keeps_the_request_without_its_author(place):
    from krai.accounts.services import account_anonymise
    from krai.core.privacy import exported_sections

    author = resident(given_name="Тимофей", surname="Заречный", email="zarechny@example.ru")
    request = file_one(author, description="Пишет Тимофей Заречный, тел. 8 918 555-44-33: стройка без забора.")
    data = exported_sections(author)["construction.verification"]
    assert [row["id"] for row in data["requests"]] == [request.pk]
    account_anonymise(actor=author, user=author, password=PASSWORD)
    request.refresh_from_db()
    assert request.author is None and "Заречный" not in request.description and "555" not in request.description
    assert "стройка без забора" in request.description
