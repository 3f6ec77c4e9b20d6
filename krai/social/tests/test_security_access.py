"""Security review: reads of others' things answer 404 like missing ones, and the kernel's comments and files
on the community's objects follow the community's rules (audience, hidden state, bans, blocks)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from krai.core.comments.models import Comment
from krai.org.tests.factories import UserFactory
from krai.social.models import (
    AbuseReport,
    Album,
    Ban,
    Follow,
    Participant,
    Photo,
    Profile,
    Publication,
    UserBlock,
)
from krai.social.tests.test_moderation_base import conversation_of, say


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def web(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def label(obj: Any) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def comments_of(client: APIClient, obj: Any) -> Any:
    return client.get("/api/v1/comments/", {"target_type": label(obj), "target_id": str(obj.pk)})


def comment_on(client: APIClient, obj: Any, body: str = "Комментарий") -> Any:
    return client.post("/api/v1/comments/", {"target_type": label(obj), "target_id": str(obj.pk), "body": body},
                       format="json")


def banned(user: Any) -> Any:
    Ban.objects.create(user=user, reason="spam", ends_at=timezone.now() + timedelta(days=3))
    return user


@pytest.fixture
def author(db: Any) -> Any:
    return UserFactory()


@pytest.fixture
def gallery(author: Any) -> tuple[Album, Photo]:
    album = Album.objects.create(owner=author, title="Набережная")
    photo = Photo.objects.create(owner=author, album=album, image="social/photos/x.jpg", mime_type="image/jpeg")
    return album, photo


def test_comments_on_a_followers_only_or_hidden_publication_are_missing_to_a_stranger(author: Any) -> None:
    closed = Publication.objects.create(author=author, body="Только подписчикам", audience="followers")
    hidden = Publication.objects.create(author=author, body="Скрыт", hidden_at=timezone.now())
    for publication in (closed, hidden):
        Comment.objects.create(content_type=ContentType.objects.get_for_model(Publication),
                               object_id=str(publication.pk), author=author, body="Секретный комментарий")
    stranger = UserFactory()
    for client in (api(), api(stranger)):
        for publication in (closed, hidden):
            assert comments_of(client, publication).status_code == 404
    for publication in (closed, hidden):
        assert comment_on(api(stranger), publication).status_code == 404
    assert Comment.objects.filter(author=stranger).count() == 0
    follower = UserFactory()
    Follow.objects.create(follower=follower, followee=author)
    assert comments_of(api(follower), closed).status_code == 200
    assert comments_of(api(follower), hidden).status_code == 404


@pytest.mark.parametrize("which", ["album", "photo"])
def test_a_banned_user_may_not_comment_on_an_album_or_photo(author: Any, gallery: Any, which: str) -> None:
    target = gallery[0] if which == "album" else gallery[1]
    reader = UserFactory()
    assert comment_on(api(reader), target).status_code == 201  # allowed before the ban: the test can fail
    banned(reader)
    assert comment_on(api(reader), target, "После бана").status_code == 403
    assert not Comment.objects.filter(body="После бана").exists()


@pytest.mark.parametrize("which", ["album", "photo"])
@pytest.mark.parametrize("direction", ["owner_blocked_reader", "reader_blocked_owner"])
def test_a_blocked_user_may_not_comment_on_an_album_or_photo(author: Any, gallery: Any, which: str,
                                                            direction: str) -> None:
    target = gallery[0] if which == "album" else gallery[1]
    reader = UserFactory()
    if direction == "owner_blocked_reader":
        UserBlock.objects.create(blocker=author, blocked=reader)
    else:
        UserBlock.objects.create(blocker=reader, blocked=author)
    answer = comment_on(api(reader), target)
    assert answer.status_code in (403, 404)
    assert not Comment.objects.exists()


def test_comments_on_a_hidden_photo_are_closed(author: Any, gallery: Any) -> None:
    _album, photo = gallery
    Photo.objects.filter(pk=photo.pk).update(hidden_at=timezone.now())
    photo.refresh_from_db()
    assert comment_on(api(author), photo).status_code in (403, 404)  # his own, but hidden by a moderator
    assert not Comment.objects.exists()


def test_private_objects_of_the_community_are_no_comment_targets(author: Any) -> None:
    """A conversation, a report, a ban, a block, a follow: missing to strangers through the kernel's comments."""
    friend, stranger = UserFactory(), UserFactory()
    conversation = conversation_of(author, friend)
    message = say(conversation, author, "Привет")
    participant = Participant.objects.get(conversation=conversation, user=author)
    report = AbuseReport.objects.create(reporter=friend, content_type=ContentType.objects.get_for_model(Publication),
                                        object_id="1", reason=AbuseReport.Reason.SPAM, details="Подробности")
    ban = Ban.objects.create(user=friend, reason="спам", ends_at=timezone.now() + timedelta(days=1))
    block = UserBlock.objects.create(blocker=author, blocked=friend)
    follow = Follow.objects.create(follower=friend, followee=author)
    targets = [conversation, message, participant, ban, block, follow, report]
    for obj in targets:
        assert comments_of(api(stranger), obj).status_code == 404, label(obj)
        assert comment_on(api(stranger), obj).status_code == 404, label(obj)
    assert not Comment.objects.exists()


def test_a_superuser_does_not_read_others_conversations(author: Any) -> None:
    friend = UserFactory()
    root = UserFactory(is_superuser=True, is_staff=True)
    conversation = conversation_of(author, friend)
    message = say(conversation, author, "Личное сообщение")
    assert web(root).get(f"/community/messages/{conversation.pk}/").status_code == 404
    rest = api(root)
    assert rest.get(f"/api/v1/social/conversations/{conversation.pk}/").status_code == 404
    assert rest.get(f"/api/v1/social/conversations/{conversation.pk}/messages/").status_code == 404
    assert "Личное сообщение" not in rest.get("/api/v1/social/conversations/").content.decode()
    # the kernel's has_perm lets a superuser "see" any target, but no one may comment on a message
    assert comment_on(api(author), message).status_code == 403
    assert not Comment.objects.exists()


def test_people_search_does_not_leak_a_hidden_municipality(db: Any) -> None:
    from krai.org.tests.factories import MunicipalityFactory

    town = MunicipalityFactory()
    secret, shown = UserFactory(), UserFactory()
    Profile.objects.create(user=secret, display_name="Скрытный", municipality=town,
                           privacy={"municipality": "nobody"})
    Profile.objects.create(user=shown, display_name="Открытый", municipality=town,
                           privacy={"municipality": "public"})
    for client in (web(), web(UserFactory())):
        page = client.get("/community/people/", {"municipality": town.pk}).content.decode()
        assert "Открытый" in page and "Скрытный" not in page
    answer = api(UserFactory()).get(f"/api/v1/social/profiles/{secret.pk}/").json()
    assert answer["municipality"] is None


def test_follower_lists_respect_their_privacy(db: Any) -> None:
    owner, fan, stranger = UserFactory(), UserFactory(), UserFactory()
    Profile.objects.create(user=owner, display_name="Владелец", privacy={"followers": "nobody", "follows": "followers"})
    Profile.objects.create(user=fan, display_name="Поклонник")
    Follow.objects.create(follower=fan, followee=owner)
    Follow.objects.create(follower=owner, followee=fan)
    answer = api(stranger).get(f"/api/v1/social/profiles/{owner.pk}/").json()
    assert answer["followers"] is None and answer["follows"] is None
    assert "Поклонник" not in web(stranger).get(f"/community/people/{owner.pk}/").content.decode()
    as_fan = api(fan).get(f"/api/v1/social/profiles/{owner.pk}/").json()
    assert as_fan["followers"] is None and [e["id"] for e in as_fan["follows"]] == [fan.pk]


def test_only_messages_one_could_read_can_be_reported(author: Any) -> None:
    """A report opens the message to the moderators: a later member or one who had left may not report (404)."""
    early, late = UserFactory(), UserFactory()
    conversation = conversation_of(author, early, late)
    Participant.objects.filter(conversation=conversation).update(joined_at=timezone.now() - timedelta(hours=1))
    before = say(conversation, author, "До прихода", minutes_ago=30)
    Participant.objects.filter(conversation=conversation, user=late).update(
        joined_at=timezone.now() - timedelta(minutes=10))
    Participant.objects.filter(conversation=conversation, user=early).update(
        left_at=timezone.now() - timedelta(minutes=5))
    after = say(conversation, author, "После ухода", minutes_ago=1)
    page = lambda m: reverse("social:report", args=["message", m.pk])  # noqa: E731
    assert web(late).get(page(before)).status_code == 404
    assert web(late).get(page(after)).status_code == 200
    assert web(early).get(page(before)).status_code == 200  # he read it before leaving
    assert web(early).get(page(after)).status_code == 404
    answer = api(early).post("/api/v1/social/reports/", {"kind": "message", "id": str(after.pk), "reason": "abuse"},
                             format="json")
    assert answer.status_code == 404
    assert not AbuseReport.objects.exists()


def test_a_message_report_opens_no_message_the_reporter_could_not_read(author: Any) -> None:
    """The moderators' context of a reported group message starts when the reporter joined."""
    from krai.social import services
    from krai.social.tests.test_moderation_base import moderator_user

    late = UserFactory(email_confirmed=True)
    conversation = conversation_of(author, late)
    private = say(conversation, author, "Ещё до него", minutes_ago=30)
    Participant.objects.filter(conversation=conversation, user=late).update(
        joined_at=timezone.now() - timedelta(minutes=20))
    seen = say(conversation, author, "При нём", minutes_ago=10)
    rude = say(conversation, author, "Грубость", minutes_ago=1)
    report = services.report_create(actor=late, target=rude, reason="abuse")
    shown = services.message_inspect(actor=moderator_user(), report=report)
    assert [m.pk for m in shown] == [seen.pk, rude.pk]
    assert private.pk not in [m.pk for m in shown]


def test_a_photo_of_a_publication_follows_its_closed_comments(author: Any) -> None:
    publication = Publication.objects.create(author=author, body="Без обсуждения", comments_closed=True)
    photo = Photo.objects.create(owner=author, publication=publication, image="social/photos/x.jpg",
                                 mime_type="image/jpeg")
    reader = UserFactory()
    assert comment_on(api(reader), photo).status_code == 403
    Publication.objects.filter(pk=publication.pk).update(comments_closed=False)
    photo = Photo.objects.get(pk=photo.pk)
    assert comment_on(api(reader), photo).status_code == 201
