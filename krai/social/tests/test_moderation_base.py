"""The scene the moderation tests share (no tests here): an author with one of each kind of content, a reader
who reports, a moderator, and a direct conversation between the author and the reader."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from krai.core.comments.models import Comment
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign
from krai.social.models import Album, Conversation, Message, Participant, Photo, Profile, Publication


def moderator_user(**kwargs: Any) -> Any:
    user = StaffFactory(**kwargs)
    assign(user, Role.CONTROLLER)
    return user


def conversation_of(*users: Any) -> Conversation:
    ids = sorted(u.pk for u in users)
    if len(users) == 2:
        conversation = Conversation.objects.create(kind="direct", direct_key=f"{ids[0]}:{ids[1]}")
    else:
        conversation = Conversation.objects.create(kind="group", title="Группа")
    for user in users:
        # members since yesterday: a member reads (and a report about a message shows) only what came after he joined
        Participant.objects.create(conversation=conversation, user=user, joined_at=timezone.now() - timedelta(days=1))
    return conversation


def say(conversation: Conversation, sender: Any, body: str, *, minutes_ago: int = 0) -> Message:
    return Message.objects.create(conversation=conversation, sender=sender, body=body,
                                  created_at=timezone.now() - timedelta(minutes=minutes_ago))


@pytest.fixture
def scene(db: Any) -> dict[str, Any]:
    author, reader, moderator = UserFactory(surname="Автор"), UserFactory(surname="Читатель"), moderator_user()
    Profile.objects.create(user=author, display_name="Автор А.", about="Пишу о дорогах")
    publication = Publication.objects.create(author=author, body="Пост автора о дорогах")
    album = Album.objects.create(owner=author, title="Набережная")
    photo = Photo.objects.create(owner=author, album=album, image="social/photos/x.jpg", mime_type="image/jpeg",
                                 caption="Вид на реку")
    comment = Comment.objects.create(content_type=ContentType.objects.get_for_model(Publication),
                                     object_id=str(publication.pk), author=author, body="Комментарий автора")
    conversation = conversation_of(author, reader)
    message = say(conversation, author, "Грубое сообщение автора")
    return {"author": author, "reader": reader, "moderator": moderator, "publication": publication, "album": album,
            "photo": photo, "comment": comment, "conversation": conversation, "message": message}


def target_for(scene: dict[str, Any], kind: str) -> Any:
    return scene["author"] if kind == "profile" else scene[kind]
