"""The galleries through the pages and the API: create an album, upload, look; the profile's albums section."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from krai.core.events.models import Event
from krai.org.tests.factories import UserFactory
from krai.social.models import Album, Photo
from krai.social.tests.test_galleries_photos import SANTIAGO, image_bytes, stored_files, upload


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def client(owner) -> Client:
    web = Client()
    web.force_login(owner)
    return web


def test_create_an_album_upload_and_view(owner, client, django_capture_on_commit_callbacks) -> None:
    assert client.get(reverse("social:album_new")).status_code == 200
    response = client.post(reverse("social:album_new"), {"title": "Экспедиция", "audience": "public"})
    album = Album.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("social:album", args=[album.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Экспедиция" in page and 'id="social-upload-form"' in page and 'name="keep_location"' in page
    assert 'checked' not in page.split('name="keep_location"')[0].rsplit("<input", 1)[-1]  # off by default
    files = [upload(image_bytes(size=(900, 600), gps=SANTIAGO), "one.jpg"), upload(image_bytes(), "two.jpg"),
             upload(b"<html>nope</html>", "three.jpg")]
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("social:album_upload", args=[album.pk]),
                               {"photos": files, "keep_location": "on"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "three.jpg: This kind of file is not accepted here." in text
    assert "Photos added: 2." in text
    first, second = Photo.objects.order_by("position")
    assert first.latitude == pytest.approx(-33.865) and second.latitude is None
    assert first.sizes_ready_at is not None  # the job ran after the upload committed
    assert text.count(reverse("social:photo_file", args=[first.pk, "thumb"])) == 1
    thumb = client.get(reverse("social:photo_file", args=[first.pk, "thumb"]))
    assert max(Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size) == 320
    photo_page = client.get(reverse("social:photo", args=[first.pk])).content.decode()
    assert "-33.86500, -70.50000" in photo_page and 'id="social-photo-map"' in photo_page
    assert reverse("social:photo", args=[second.pk]) in photo_page  # "next"
    second_page = client.get(reverse("social:photo", args=[second.pk])).content.decode()
    assert "social-photo-coordinates" not in second_page


def test_the_owner_edits_captions_reorders_and_deletes_through_the_pages(owner, client) -> None:
    album = Album.objects.create(owner=owner, title="Альбом")
    for name in ("a.jpg", "b.jpg"):
        client.post(reverse("social:album_upload", args=[album.pk]), {"photos": [upload(image_bytes(), name)]})
    a, b = Photo.objects.order_by("position")
    client.post(reverse("social:photo_edit", args=[a.pk]), {"caption": "Закат", "caption_only": "1"})
    client.post(reverse("social:photo_move", args=[b.pk]), {"direction": "up"})
    assert list(album.photos.order_by("position").values_list("pk", flat=True)) == [b.pk, a.pk]
    a.refresh_from_db()
    assert a.caption == "Закат"
    response = client.post(reverse("social:photo_delete", args=[b.pk]))
    assert response.status_code == 302 and not Photo.objects.filter(pk=b.pk).exists()
    response = client.post(reverse("social:album_edit", args=[album.pk]),
                           {"title": "Новое", "description": "", "audience": "registered"})
    album.refresh_from_db()
    assert response.status_code == 302 and (album.title, album.audience) == ("Новое", "registered")
    client.post(reverse("social:album_delete", args=[album.pk]))
    assert not Album.objects.exists()


def test_a_banned_person_sees_the_ban_message_on_upload(owner, client) -> None:
    from krai.social.tests.test_galleries_services import ban

    album = Album.objects.create(owner=owner, title="Альбом")
    ban(owner)
    with translation.override("en"):
        response = client.post(reverse("social:album_upload", args=[album.pk]),
                               {"photos": [upload(image_bytes())]}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "banned from the community" in response.content.decode()
    assert not Photo.objects.exists() and stored_files() == []


def test_the_api_flow_and_coordinates_only_when_kept(owner) -> None:
    rest = APIClient()
    rest.force_authenticate(owner)
    created = rest.post("/api/v1/social/albums/", {"title": "API", "audience": "registered"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    kept = rest.post(f"/api/v1/social/albums/{pk}/photos/", {"image": upload(image_bytes(gps=SANTIAGO)),
                                                             "keep_location": "true", "caption": "Горы"},
                     format="multipart")
    assert kept.status_code == 201, kept.content
    body = kept.json()
    assert body["latitude"] == pytest.approx(-33.865) and body["longitude"] == pytest.approx(-70.5)
    assert body["urls"]["thumb"] == reverse("social:photo_file", args=[body["id"], "thumb"])
    plain = rest.post(f"/api/v1/social/albums/{pk}/photos/", {"image": upload(image_bytes(gps=SANTIAGO))},
                      format="multipart").json()
    assert plain["latitude"] is None and plain["longitude"] is None
    with translation.override("en"):
        refused = rest.post(f"/api/v1/social/albums/{pk}/photos/", {"image": upload(b"<html>x</html>", "x.jpg")},
                            format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "image" in refused.json()["error"]["fields"]
    changed = rest.patch(f"/api/v1/social/photos/{body['id']}/", {"keep_location": False}, format="json").json()
    assert changed["latitude"] is None and changed["keep_location"] is False
    order = rest.post(f"/api/v1/social/albums/{pk}/order/", {"photos": [plain["id"]]}, format="json")
    assert [p["id"] for p in order.json()] == [plain["id"], body["id"]]
    listed = rest.get(f"/api/v1/social/albums/{pk}/photos/").json()["results"]
    assert [p["id"] for p in listed] == [plain["id"], body["id"]]
    assert rest.patch(f"/api/v1/social/albums/{pk}/", {"title": "API 2"}, format="json").json()["title"] == "API 2"
    assert rest.delete(f"/api/v1/social/photos/{plain['id']}/").status_code == 204
    assert rest.delete(f"/api/v1/social/albums/{pk}/").status_code == 204
    assert not Album.objects.exists() and not Photo.objects.exists()
    assert not any("latitude" in str(p) for p in Event.objects.values_list("payload", flat=True))


def test_the_profile_section_shows_the_latest_albums_the_viewer_may_see(owner) -> None:
    import krai.social.galleries_sections  # noqa: F401 — registers the section (the lead imports it at start-up)
    from krai.social import policy
    from krai.social.sections import render_sections

    Album.objects.create(owner=owner, title="Публичный")
    Album.objects.create(owner=owner, title="Для подписчиков", audience="followers")
    profile = policy.profile_of(owner)
    sections = {s.key: s.html for s in render_sections(UserFactory(), profile)}
    assert "Публичный" in sections["albums"] and "Для подписчиков" not in sections["albums"]
    mine = {s.key: s.html for s in render_sections(owner, profile)}
    assert "Для подписчиков" in mine["albums"]
    nobody = UserFactory()
    assert "albums" not in {s.key for s in render_sections(owner, policy.profile_of(nobody))}
