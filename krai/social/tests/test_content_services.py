"""Publishing, editing and deleting: validation, photos cleaned, bans, the rate limit, nothing stored on refusal."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override
from PIL import Image

from krai.core.events.models import Event
from krai.org.tests.factories import UserFactory
from krai.social.models import Ban, Photo, Publication, PublicationTopic, Topic
from krai.social.services import content as services

pytestmark = pytest.mark.django_db


def png(name: str = "a.png", size: tuple[int, int] = (8, 6)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def gps_jpeg(name: str = "gps.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (10, 10), (0, 120, 0))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 36.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    assert b"SpyCam" in out.getvalue()
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def ban(user, reason: str = "spam") -> Ban:
    now = timezone.now()
    return Ban.objects.create(user=user, reason=reason, starts_at=now - timedelta(hours=1),
                              ends_at=now + timedelta(days=3))


def topic(code: str = "roads") -> Topic:
    return Topic.objects.get_or_create(code=code, defaults={"name": code.title()})[0]


def test_create_with_topics_photos_and_event(citizen):
    roads = topic()
    publication = services.publication_create(actor=citizen, body="  Hello, region!  ", audience="registered",
                                              topics=[roads], photos=[png(), gps_jpeg()])
    assert publication.body == "Hello, region!"
    assert publication.audience == "registered"
    link = PublicationTopic.objects.get(publication=publication)
    assert link.topic == roads and link.created_at == publication.created_at
    photos = list(publication.photos.all())
    assert [p.mime_type for p in photos] == ["image/png", "image/jpeg"]
    assert photos[0].width == 8 and photos[0].height == 6 and photos[0].owner == citizen
    jpeg = photos[1].image.read()
    assert b"SpyCam" not in jpeg and Image.open(io.BytesIO(jpeg)).getexif().get(0x8825) is None
    assert not photos[1].image.name.endswith("gps.jpg")  # a random name, not the upload's
    event = Event.objects.get(kind="social.publication_created")
    assert event.subject_id == str(publication.pk) and event.payload["photos"] == 2


def test_a_non_image_named_jpg_is_refused_and_nothing_stored(citizen, settings, tmp_path):
    fake = SimpleUploadedFile("holiday.jpg", b"MZ\x90\x00 this is a program" * 20, content_type="image/jpeg")
    with override("en"), pytest.raises(ValidationError) as caught:
        services.publication_create(actor=citizen, body="photos", photos=[png(), fake])
    assert "holiday.jpg" in caught.value.message_dict["photos"][0]
    assert not Publication.objects.exists() and not Photo.objects.exists()
    assert not Event.objects.filter(kind="social.publication_created").exists()


def test_too_many_photos_and_bad_fields(citizen):
    with pytest.raises(ValidationError) as caught:
        services.publication_create(actor=citizen, body="", audience="nobody", topics=[999_999],
                                    photos=[png(f"{i}.png") for i in range(11)])
    assert set(caught.value.message_dict) == {"body", "audience", "topics", "photos"}
    with pytest.raises(ValidationError):
        services.publication_create(actor=citizen, body="x" * 5001)
    assert not Publication.objects.exists()


def test_a_banned_user_is_refused_with_the_reason(citizen):
    ban(citizen, "advertising")
    with override("en"), pytest.raises(ValidationError) as caught:
        services.publication_create(actor=citizen, body="hello")
    assert caught.value.code == "banned" and "advertising" in caught.value.messages[0]
    assert not Publication.objects.exists()


def test_rate_limit(citizen, settings):
    settings.RATELIMIT_ENABLE = True
    settings.KRAI_SOCIAL_PUBLICATION_RATE = "3/h"
    for n in range(3):
        services.publication_create(actor=citizen, body=f"post {n}")
    with pytest.raises(services.RateLimited):
        services.publication_create(actor=citizen, body="one too many")
    assert Publication.objects.count() == 3
    services.publication_create(actor=UserFactory(), body="another person is not limited")


def test_links_kept_for_cards(citizen):
    publication = services.publication_create(actor=citizen, body="See /community/topics/roads/ and "
                                                                    "https://elsewhere.example.com/problems/1/")
    # only pages with a registered card count; the other site never does
    assert all(not link.startswith("https://elsewhere") for link in publication.links)


def test_edit_by_author_only(citizen):
    roads, parks = topic("roads"), topic("parks")
    publication = services.publication_create(actor=citizen, body="first", topics=[roads])
    with pytest.raises(PermissionDenied):
        services.publication_edit(actor=UserFactory(), publication=publication, body="hijack")
    edited = services.publication_edit(actor=citizen, publication=publication, body="second", topics=[parks],
                                       comments_closed=True)
    assert edited.body == "second" and edited.comments_closed and edited.edited_at is not None
    assert list(edited.topics.values_list("code", flat=True)) == ["parks"]
    event = Event.objects.get(kind="social.publication_edited")
    assert event.payload["previous_excerpt"] == "first" and "topics" in event.payload["changed"]
    same = services.publication_edit(actor=citizen, publication=edited, body="second")
    assert Event.objects.filter(kind="social.publication_edited").count() == 1 and same.body == "second"


def test_hidden_cannot_be_edited_but_can_be_deleted(citizen):
    publication = services.publication_create(actor=citizen, body="text", photos=[png()])
    Publication.objects.filter(pk=publication.pk).update(hidden_at=timezone.now(), hidden_reason="rude")
    publication.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.publication_edit(actor=citizen, publication=publication, body="new")
    with pytest.raises(PermissionDenied):
        services.publication_delete(actor=UserFactory(), publication=publication)
    assert Publication.objects.exists()
    services.publication_delete(actor=citizen, publication=publication)
    assert not Publication.objects.exists() and not Photo.objects.exists()
    assert Event.objects.filter(kind="social.publication_deleted", subject_id=str(publication.pk)).exists()
