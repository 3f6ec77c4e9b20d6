"""The galleries' services: only the owner writes, bans refuse, each write records its event, files go with rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from krai.core.events.models import Event
from krai.org.tests.factories import UserFactory
from krai.social.models import Album, Ban, Photo
from krai.social.services import galleries as services
from krai.social.tests.test_galleries_photos import SANTIAGO, image_bytes, stored_files, upload


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def album(owner):
    return services.album_create(actor=owner, title="  Поездка   на море ", description="Лето", audience="followers")


def ban(user) -> Ban:
    return Ban.objects.create(user=user, reason="spam", ends_at=timezone.now() + timedelta(days=3))


def test_album_create_edit_delete_record_their_events(owner, album, django_capture_on_commit_callbacks) -> None:
    assert (album.title, album.audience) == ("Поездка на море", "followers")
    services.album_edit(actor=owner, album=album, title="Море", audience="public")
    album.refresh_from_db()
    assert (album.title, album.audience, album.description) == ("Море", "public", "Лето")
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.album_delete(actor=owner, album=album)
    assert not Album.objects.exists() and not Photo.objects.filter(pk=photo.pk).exists()
    assert stored_files() == []
    kinds = list(Event.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["social.album_created", "social.album_edited", "social.photo_added", "social.album_deleted"]


def test_an_edit_changing_nothing_records_nothing(owner, album) -> None:
    services.album_edit(actor=owner, album=album, title="Поездка на море")
    assert not Event.objects.filter(kind="social.album_edited").exists()


@pytest.mark.parametrize("values", [{"title": "  "}, {"title": "x" * 201}, {"audience": "nobody"}])
def test_album_values_are_validated(owner, values) -> None:
    with pytest.raises(ValidationError):
        services.album_create(actor=owner, **{"title": "A", **values})
    assert not Album.objects.exists()


def test_no_one_but_the_owner_changes_an_album_or_its_photos(owner, album) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    other = UserFactory()
    calls = [
        lambda: services.album_edit(actor=other, album=album, title="Чужое"),
        lambda: services.album_delete(actor=other, album=album),
        lambda: services.photo_add(actor=other, album=album, upload=upload(image_bytes())),
        lambda: services.photo_edit(actor=other, photo=photo, caption="Чужое"),
        lambda: services.photo_delete(actor=other, photo=photo),
        lambda: services.photos_reorder(actor=other, album=album, order=[photo.pk]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    album.refresh_from_db()
    photo.refresh_from_db()
    assert album.title == "Поездка на море" and photo.caption == "" and album.photos.count() == 1


def test_a_banned_owner_cannot_upload_and_is_told_why(owner, album) -> None:
    ban(owner)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    assert caught.value.code == "banned"
    assert "banned from the community" in caught.value.messages[0] and "spam" in caught.value.messages[0]
    assert not Photo.objects.exists() and stored_files() == []
    with pytest.raises(ValidationError):
        services.album_create(actor=owner, title="Новый")


def test_turning_the_place_off_deletes_it_and_turning_it_on_cannot_restore_it(owner, album) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes(gps=SANTIAGO)),
                               keep_location=True, caption="Анды")
    assert photo.latitude is not None
    services.photo_edit(actor=owner, photo=photo, keep_location=False)
    photo.refresh_from_db()
    assert (photo.keep_location, photo.latitude, photo.longitude) == (False, None, None)
    services.photo_edit(actor=owner, photo=photo, keep_location=True, caption="Горы")
    photo.refresh_from_db()
    assert (photo.keep_location, photo.latitude, photo.longitude, photo.caption) == (True, None, None, "Горы")
    payloads = Event.objects.filter(kind="social.photo_edited").values_list("payload", flat=True)
    assert [p["changed"] for p in payloads] == [["keep_location"], ["caption", "keep_location"]]


def test_photos_reorder_and_positions(owner, album) -> None:
    a, b, c = (services.photo_add(actor=owner, album=album, upload=upload(image_bytes())) for _ in range(3))
    assert [a.position, b.position, c.position] == [0, 1, 2]
    assert services.photos_reorder(actor=owner, album=album, order=[c.pk]) == [c.pk, a.pk, b.pk]
    assert list(album.photos.order_by("position").values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    assert Event.objects.filter(kind="social.photos_reordered").count() == 1
    elsewhere = services.album_create(actor=owner, title="Другой")
    stranger = services.photo_add(actor=owner, album=elsewhere, upload=upload(image_bytes()))
    for order in ([stranger.pk], [a.pk, a.pk], ["x"]):
        with pytest.raises(ValidationError):
            services.photos_reorder(actor=owner, album=album, order=order)


def test_photo_delete_removes_its_file_once_committed(owner, album, django_capture_on_commit_callbacks) -> None:
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    pk = photo.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(actor=owner, photo=photo)
    assert not Photo.objects.exists() and stored_files() == []
    assert Event.objects.filter(kind="social.photo_deleted", subject_id=str(pk)).exists()


def test_a_caption_is_limited(owner, album) -> None:
    with pytest.raises(ValidationError):
        services.photo_add(actor=owner, album=album, upload=upload(image_bytes()), caption="x" * 501)
    assert stored_files() == []
