"""The upload pipeline and the sizes job: EXIF never stored, a kept place in the fields, non-images refused with
nothing left behind, thumbnails and medium sizes made by the job or by the sweep."""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from krai.core.events.models import Event
from krai.org.tests.factories import UserFactory
from krai.social import photos, tasks
from krai.social.models import Photo
from krai.social.services import galleries as services

SANTIAGO = {1: "S", 2: (33.0, 51.0, 54.0), 3: "W", 4: (70.0, 30.0, 0.0)}  # -33.865, -70.5
KRASNODAR = {1: "N", 2: (45.0, 2.0, 3.0), 3: "E", 4: (38.0, 58.0, 0.0)}


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), *, gps: dict | None = None) -> bytes:
    image = Image.new("RGB", size, color=(200, 30, 30))
    out = io.BytesIO()
    save: dict = {}
    if gps is not None:
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # Make
        exif[0x8825] = gps
        save["exif"] = exif
    image.save(out, format=fmt, **save)
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files] if os.path.isdir(root) else []


def assert_no_exif(field) -> None:
    with field.open("rb") as handle:
        raw = handle.read()
    image = Image.open(io.BytesIO(raw))
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"SpyCam" not in raw


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def album(owner):
    return services.album_create(actor=owner, title="Поездка")


def test_the_fixture_really_carries_gps() -> None:
    raw = image_bytes(gps=SANTIAGO)
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
    assert photos.read_location(raw) == pytest.approx((-33.865, -70.5))
    assert photos.read_location(image_bytes(gps=KRASNODAR)) == pytest.approx((45.034167, 38.966667))


def test_without_keep_the_place_is_dropped_and_the_file_has_no_exif(owner, album) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes(gps=SANTIAGO)))
    photo.refresh_from_db()
    assert (photo.keep_location, photo.latitude, photo.longitude) == (False, None, None)
    assert_no_exif(photo.image)
    assert photo.image.name.startswith("social/photos/")
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.image.name.rsplit("/", 1)[1])  # a random name, not the upload's


def test_with_keep_the_place_is_in_the_fields_with_its_signs_and_still_not_in_the_file(owner, album) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes(gps=SANTIAGO)),
                               keep_location=True)
    photo.refresh_from_db()
    assert photo.keep_location is True
    assert photo.latitude == pytest.approx(-33.865) and photo.longitude == pytest.approx(-70.5)
    assert_no_exif(photo.image)
    event = Event.objects.get(kind="social.photo_added")
    assert "latitude" not in event.payload and "-33" not in str(event.payload)


def test_keep_without_gps_in_the_file_keeps_nothing(owner, album) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()), keep_location=True)
    assert (photo.keep_location, photo.latitude, photo.longitude) == (False, None, None)


@pytest.mark.parametrize("gps", [
    {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (38.0, 0.0, 0.0)},   # latitude beyond the pole
    {1: "N", 2: (45.0, 0.0, 0.0), 3: "E", 4: (181.0, 0.0, 0.0)},  # longitude beyond the date line
    {1: "Q", 2: (45.0, 0.0, 0.0), 3: "E", 4: (38.0, 0.0, 0.0)},   # a reference that is no direction
    {1: "N", 2: (45.0, 75.0, 0.0), 3: "E", 4: (38.0, 0.0, 0.0)},  # 75 minutes
    {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},     # no fix
    {1: "N", 3: "E", 4: (38.0, 0.0, 0.0)},                        # no latitude
])
def test_junk_coordinates_are_ignored(gps) -> None:
    assert photos.read_location(image_bytes(gps=gps)) is None


def test_junk_bytes_have_no_place() -> None:
    assert photos.read_location(b"<html>not an image</html>") is None


@pytest.mark.parametrize(("content", "message"), [
    (b"<html><body><script>alert(1)</script></body></html>", "This kind of file is not accepted here."),
    (b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + b"garbage" * 50, "The image is damaged or is not really an image."),
])
def test_a_non_image_named_jpg_is_refused_and_nothing_is_stored(owner, album, content, message) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.photo_add(actor=owner, album=album, upload=upload(content, name="holiday.jpg"))
    assert any(m.startswith(message) for m in caught.value.messages)
    assert not Photo.objects.exists()
    assert stored_files() == []
    assert not Event.objects.filter(kind="social.photo_added").exists()


def test_the_sizes_job_makes_thumb_and_medium_after_commit(owner, album, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes(size=(2000, 1500))))
    photo.refresh_from_db()
    assert photo.sizes_ready_at is not None
    assert (photo.width, photo.height) == (2000, 1500)
    for field, expected in ((photo.thumb, (320, 240)), (photo.medium, (1280, 960))):
        with field.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert image.size == expected and image.format == "JPEG"


def test_sizes_of_a_png_are_png_and_portrait_limits_the_height(owner, album, django_capture_on_commit_callbacks):
    content = image_bytes("PNG", size=(600, 1600))
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.photo_add(actor=owner, album=album, upload=upload(content, "a.png", "image/png"))
    photo.refresh_from_db()
    with photo.thumb.open("rb") as handle:
        thumb = Image.open(io.BytesIO(handle.read()))
    assert thumb.format == "PNG" and thumb.size == (120, 320)
    with photo.medium.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).size == (480, 1280)  # never enlarged past 1280 either way


def test_the_sweep_makes_sizes_a_dead_worker_left_and_spares_fresh_uploads(owner, album) -> None:
    # without running the on-commit callbacks the job never ran: as if the worker died
    old = services.photo_add(actor=owner, album=album, upload=upload(image_bytes(size=(800, 600))))
    fresh = services.photo_add(actor=owner, album=album, upload=upload(image_bytes(size=(800, 600))))
    Photo.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    tasks.sweep_photo_sizes.call_local()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.sizes_ready_at is not None and old.thumb.name and old.medium.name
    with old.thumb.open("rb") as handle:
        assert max(Image.open(io.BytesIO(handle.read())).size) == 320
    assert fresh.sizes_ready_at is None  # its own job may still be on the way
    assert photos.make_sizes([old.pk]) == 0  # idempotent: done once


def test_a_photo_whose_file_is_gone_is_marked_done_without_sizes(owner, album) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    photos.delete_files([photo.image.name])
    photos.make_sizes([photo.pk])
    photo.refresh_from_db()
    assert photo.sizes_ready_at is not None and not photo.thumb.name and not photo.medium.name


def test_the_daily_cap_and_the_album_limit(owner, album, settings) -> None:
    settings.KRAI_SOCIAL_PHOTOS_PER_DAY = 2
    services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    with pytest.raises(ValidationError) as caught:
        services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    assert caught.value.code == "rate_limited"
    settings.KRAI_SOCIAL_PHOTOS_PER_DAY = 100
    settings.KRAI_SOCIAL_PHOTOS_PER_ALBUM = 2
    with pytest.raises(ValidationError) as caught:
        services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    assert caught.value.code == "album_full"
    assert album.photos.count() == 2
    assert len(stored_files()) == 2  # the refused one left no file


def test_a_too_large_file_is_refused(owner, album, settings) -> None:
    settings.KRAI_SOCIAL_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        services.photo_add(actor=owner, album=album, upload=upload(image_bytes(size=(400, 400))))
    assert caught.value.code == "too_large"
    assert not Photo.objects.exists()


def test_an_orphan_file_is_swept_but_a_photo_s_files_stay(owner, album) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    storage = Photo._meta.get_field("image").storage
    orphan = storage.save("social/photos/2020/01/orphan.jpg", io.BytesIO(image_bytes()))
    past = (timezone.now() - timedelta(days=2)).timestamp()
    for name in (orphan, photo.image.name):
        os.utime(storage.path(name), (past, past))
    assert photos.sweep_orphans() == 1
    assert not storage.exists(orphan) and storage.exists(photo.image.name)
