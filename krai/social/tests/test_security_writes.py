"""Writes of a banned person through the API: each refused in the one error format, nothing changed; choosing who
sees his fields stays his. And the API's refusals (404, 403, 400) all come in that format."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.test import APIClient

from krai.core.events.models import Event
from krai.org.tests.factories import UserFactory
from krai.social import services
from krai.social.models import Album, Ban, Profile, Publication, Topic
from krai.social.tests.test_galleries_photos import image_bytes, upload
from krai.social.tests.test_moderation_base import conversation_of


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label == "social"}


def assert_error(answer: Any, status: int) -> None:
    assert answer.status_code == status, (answer.status_code, answer.content[:300])
    error = answer.json()["error"]
    assert error["status"] == status and error["message"], error


@pytest.fixture
def world(db: Any, settings: Any) -> dict[str, Any]:
    settings.RATELIMIT_ENABLE = False
    person, other = UserFactory(email_confirmed=True), UserFactory(email_confirmed=True)
    Profile.objects.create(user=person, display_name="Иван И.")
    album = Album.objects.create(owner=person, title="Мой альбом")
    publication = Publication.objects.create(author=other, body="Пост")
    Topic.objects.create(code="roads", name="Дороги")
    conversation = conversation_of(person, other)
    Ban.objects.create(user=person, reason="спам", ends_at=timezone.now() + timedelta(days=2))
    return {"person": person, "other": other, "album": album, "publication": publication,
            "conversation": conversation}


def test_a_banned_person_s_writes_are_refused_and_change_nothing(world: dict[str, Any]) -> None:
    person, other = world["person"], world["other"]
    client = api(person)
    before, events = _counts(), Event.objects.count()
    calls = [
        ("post", "/api/v1/social/publications/", {"body": "Новый пост"}, "json"),
        ("post", "/api/v1/social/albums/", {"title": "Ещё"}, "json"),
        ("post", f"/api/v1/social/albums/{world['album'].pk}/photos/", {"image": upload(image_bytes())},
         "multipart"),
        ("patch", f"/api/v1/social/albums/{world['album'].pk}/", {"title": "Другое"}, "json"),
        ("post", f"/api/v1/social/follows/people/{other.pk}/", {}, "json"),
        ("post", "/api/v1/social/follows/topics/roads/", {}, "json"),
        ("post", "/api/v1/social/conversations/", {"recipients": [other.pk], "body": "Привет"}, "json"),
        ("post", f"/api/v1/social/conversations/{world['conversation'].pk}/messages/", {"body": "Привет"}, "json"),
        ("post", "/api/v1/social/reports/", {"kind": "publication", "id": str(world["publication"].pk),
                                            "reason": "spam"}, "json"),
        ("patch", "/api/v1/social/profiles/me/", {"about": "Реклама"}, "json"),
        ("post", "/api/v1/comments/", {"target_type": "social.publication",
                                       "target_id": str(world["publication"].pk), "body": "Комментарий"}, "json"),
    ]
    wrong = []
    for method, url, data, fmt in calls:
        answer = getattr(client, method)(url, data, format=fmt)
        if answer.status_code not in (400, 403) or "error" not in answer.json():
            wrong.append(f"{method.upper()} {url}: {answer.status_code} {answer.content[:200]!r}")
    assert not wrong, "\n".join(wrong)
    assert _counts() == before and Event.objects.count() == events
    # who sees his fields stays his choice
    answer = client.patch("/api/v1/social/profiles/me/", {"privacy": {"about": "nobody"}}, format="json")
    assert answer.status_code == 200 and Profile.objects.get(pk=person.pk).level("about") == "nobody"


def test_refusals_come_in_the_error_format(world: dict[str, Any]) -> None:
    other = world["other"]
    mine = services.publication_create(actor=other, body="Мой пост")
    stranger = api(UserFactory())
    assert_error(stranger.get("/api/v1/social/publications/999999/"), 404)
    assert_error(stranger.patch(f"/api/v1/social/publications/{mine.pk}/", {"body": "x"}, format="json"), 403)
    assert_error(stranger.get(f"/api/v1/social/conversations/{world['conversation'].pk}/"), 404)
    assert_error(stranger.get("/api/v1/social/reports/"), 404)
    assert_error(api().post("/api/v1/social/publications/", {"body": "x"}, format="json"), 401)
    assert_error(api(other).post("/api/v1/social/publications/", {"body": ""}, format="json"), 400)


def test_an_empty_profile_update_makes_the_profile_with_its_event(db: Any) -> None:
    person = UserFactory()
    services.profile_update(actor=person, user=person)
    assert Profile.objects.filter(pk=person.pk).exists()
    assert Event.objects.filter(kind="social.profile_updated", actor_id=person.pk).count() == 1
    nobody = UserFactory()
    services.profile_avatar_remove(actor=nobody, user=nobody)  # nothing to remove: no row made
    assert not Profile.objects.filter(pk=nobody.pk).exists()


def test_creating_albums_through_the_api_is_rate_limited(db: Any) -> None:
    client = api(UserFactory(email_confirmed=True))
    answers = [client.post("/api/v1/social/albums/", {"title": f"Альбом {i}"}, format="json").status_code
               for i in range(21)]
    assert answers[:20] == [201] * 20 and answers[20] == 429
    assert Album.objects.count() == 20


def test_photos_on_publications_count_towards_the_daily_photo_cap(db: Any, settings: Any) -> None:
    from django.core.exceptions import ValidationError

    from krai.social.models import Photo

    settings.KRAI_SOCIAL_PHOTOS_PER_DAY = 2
    person = UserFactory(email_confirmed=True)
    services.publication_create(actor=person, body="Два фото", photos=[upload(image_bytes()), upload(image_bytes())])
    assert Photo.objects.filter(owner=person).count() == 2
    with pytest.raises(ValidationError) as refused:
        services.publication_create(actor=person, body="Ещё одно", photos=[upload(image_bytes())])
    assert refused.value.code == "rate_limited"
    assert Photo.objects.filter(owner=person).count() == 2 and Publication.objects.filter(author=person).count() == 1


def test_a_publication_photo_above_the_photo_size_limit_is_refused(db: Any, settings: Any) -> None:
    from django.core.exceptions import ValidationError

    settings.KRAI_SOCIAL_PHOTO_MAX_BYTES = 100
    person = UserFactory(email_confirmed=True)
    with pytest.raises(ValidationError):
        services.publication_create(actor=person, body="Большое фото", photos=[upload(image_bytes())])
    assert not Publication.objects.filter(author=person).exists()


def test_the_digest_job_runs_the_moved_service(db: Any) -> None:
    from krai.social.tasks_content import send_publications_digest

    send_publications_digest.call_local()  # the service moved to services/digest.py: the job must follow
    assert Event.objects.filter(kind="social.publications_digest_sent").count() == 1
