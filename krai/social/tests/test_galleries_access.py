"""Who sees galleries: audience, hidden photos, blocks — the same answer on the pages, the file view and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from krai.org.tests.factories import UserFactory
from krai.social.models import Follow, UserBlock
from krai.social.services import galleries as services
from krai.social.tests.test_galleries_photos import image_bytes, upload


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def private_album(owner):
    album = services.album_create(actor=owner, title="Только друзьям", audience="followers")
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    return album, photo


def web(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_followers_only_album_is_invisible_to_a_stranger_everywhere(owner, private_album) -> None:
    album, photo = private_album
    for stranger in (None, UserFactory()):
        client = web(stranger)
        listing = client.get(reverse("social:albums", args=[owner.pk]))
        assert listing.status_code == 200 and "Только друзьям" not in listing.content.decode()
        assert client.get(reverse("social:album", args=[album.pk])).status_code == 404
        assert client.get(reverse("social:photo", args=[photo.pk])).status_code == 404
        for size in ("full", "medium", "thumb"):
            assert client.get(reverse("social:photo_file", args=[photo.pk, size])).status_code == 404
        rest = api(stranger)
        assert rest.get(f"/api/v1/social/albums/{album.pk}/").status_code == 404
        assert rest.get(f"/api/v1/social/albums/{album.pk}/photos/").status_code == 404
        assert rest.get(f"/api/v1/social/photos/{photo.pk}/").status_code == 404
        assert rest.get(f"/api/v1/social/albums/?owner={owner.pk}").json()["results"] == []


def test_a_follower_sees_it_with_private_cache_headers(owner, private_album) -> None:
    album, photo = private_album
    follower = UserFactory()
    Follow.objects.create(follower=follower, followee=owner)
    client = web(follower)
    assert "Только друзьям" in client.get(reverse("social:albums", args=[owner.pk])).content.decode()
    assert client.get(reverse("social:album", args=[album.pk])).status_code == 200
    response = client.get(reverse("social:photo_file", args=[photo.pk, "thumb"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # the full image: no thumb made yet
    ids = [a["id"] for a in api(follower).get(f"/api/v1/social/albums/?owner={owner.pk}").json()["results"]]
    assert ids == [album.pk]


def test_a_public_photo_is_served_to_anyone_and_may_be_cached(owner) -> None:
    album = services.album_create(actor=owner, title="Всем")
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes("PNG"), "a.png", "image/png"))
    response = web().get(reverse("social:photo_file", args=[photo.pk, "medium"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("public")
    assert web().get(f"/community/photos/{photo.pk}/huge/").status_code == 404


def test_a_hidden_photo_is_404_to_others_but_shown_to_its_owner_and_moderators(owner) -> None:
    album = services.album_create(actor=owner, title="Всем")
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()), caption="Скрытое")
    visible = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()), caption="Открытое")
    type(photo).objects.filter(pk=photo.pk).update(hidden_at=timezone.now(), hidden_reason="нарушение")
    for other in (None, UserFactory()):
        client = web(other)
        assert client.get(reverse("social:photo", args=[photo.pk])).status_code == 404
        assert client.get(reverse("social:photo_file", args=[photo.pk, "full"])).status_code == 404
        page = client.get(reverse("social:album", args=[album.pk])).content.decode()
        assert "Открытое" in page and "Скрытое" not in page
        assert api(other).get(f"/api/v1/social/photos/{photo.pk}/").status_code == 404
        listed = api(other).get(f"/api/v1/social/albums/{album.pk}/photos/").json()["results"]
        assert [p["id"] for p in listed] == [visible.pk]
    moderator = UserFactory(is_superuser=True)
    for viewer in (owner, moderator):
        assert web(viewer).get(reverse("social:photo", args=[photo.pk])).status_code == 200
        assert web(viewer).get(reverse("social:photo_file", args=[photo.pk, "full"])).status_code == 200
    assert "нарушение" in web(owner).get(reverse("social:photo", args=[photo.pk])).content.decode()


def test_a_hidden_album_hides_its_photos(owner) -> None:
    album = services.album_create(actor=owner, title="Всем")
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    type(album).objects.filter(pk=album.pk).update(hidden_at=timezone.now())
    assert web().get(reverse("social:photo_file", args=[photo.pk, "full"])).status_code == 404
    assert web(owner).get(reverse("social:photo_file", args=[photo.pk, "full"])).status_code == 200


def test_blocked_people_do_not_see_each_other_s_public_albums(owner) -> None:
    album = services.album_create(actor=owner, title="Всем")
    blocked = UserFactory()
    UserBlock.objects.create(blocker=owner, blocked=blocked)
    client = web(blocked)
    assert client.get(reverse("social:album", args=[album.pk])).status_code == 404
    assert "Всем" not in client.get(reverse("social:albums", args=[owner.pk])).content.decode()
    assert api(blocked).get(f"/api/v1/social/albums/{album.pk}/").status_code == 404


def test_another_person_may_look_but_not_change(owner) -> None:
    album = services.album_create(actor=owner, title="Всем")
    photo = services.photo_add(actor=owner, album=album, upload=upload(image_bytes()))
    other = UserFactory()
    rest = api(other)
    assert rest.patch(f"/api/v1/social/albums/{album.pk}/", {"title": "Моё"}, format="json").status_code == 403
    assert rest.delete(f"/api/v1/social/photos/{photo.pk}/").status_code == 403
    response = rest.post(f"/api/v1/social/albums/{album.pk}/photos/", {"image": upload(image_bytes())},
                         format="multipart")
    assert response.status_code == 403
    assert api().post("/api/v1/social/albums/", {"title": "Аноним"}, format="json").status_code in {401, 403}
    client = web(other)
    assert client.post(reverse("social:photo_delete", args=[photo.pk])).status_code == 302
    assert client.get(reverse("social:album_edit", args=[album.pk])).status_code == 404
    album.refresh_from_db()
    assert album.title == "Всем" and album.photos.count() == 1
