"""The community's part of erasing a person and of "download my data"."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from krai.accounts import services as account_services
from krai.core.comments.models import Comment
from krai.core.files.models import Attachment
from krai.org.tests.factories import PASSWORD, UserFactory
from krai.social import services
from krai.social.models import (
    AbuseReport,
    Album,
    Ban,
    Credential,
    Follow,
    Message,
    Participant,
    Photo,
    Profile,
    Publication,
    UserBlock,
)
from krai.social.tests.test_moderation_base import conversation_of, say, scene  # noqa: F401 — the fixture

SURNAME, GIVEN = "Зябликов", "Евстигней"


def _person_everywhere(scene):  # noqa: F811
    person = UserFactory(surname=SURNAME, given_name=GIVEN, email="zyablikov@mail.example")
    friend, moderator = scene["reader"], scene["moderator"]
    profile = Profile.objects.create(user=person, display_name=f"{GIVEN} {SURNAME}",
                                     about=f"Я {SURNAME}, инженер", contact_email="zyablikov@mail.example")
    profile.avatar.save("a.jpg", ContentFile(b"avatar"))
    credential = Credential.objects.create(profile=profile, kind="degree", title="Кандидат наук")
    document = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(Credential), object_id=str(credential.pk),
        file=default_storage.save("attachments/diploma.pdf", ContentFile(b"%PDF")), original_name="диплом.pdf",
        size=4, mime_type="application/pdf", kind="pdf", sha256="0" * 64, uploaded_by=person)
    Follow.objects.create(follower=person, followee=friend)
    Follow.objects.create(follower=friend, followee=person)
    UserBlock.objects.create(blocker=person, blocked=scene["author"])
    UserBlock.objects.create(blocker=UserFactory(), blocked=person)
    own = Publication.objects.create(author=person, body=f"Пишет {SURNAME}: звоните 8 918 555-44-33")
    on_post = Photo.objects.create(owner=person, publication=own, mime_type="image/jpeg")
    on_post.image.save("p.jpg", ContentFile(b"photo"))
    album = Album.objects.create(owner=person, title="Мой двор")
    in_album = Photo.objects.create(owner=person, album=album, mime_type="image/jpeg", caption=f"{SURNAME} у дома")
    in_album.image.save("q.jpg", ContentFile(b"photo"))
    Comment.objects.create(content_type=ContentType.objects.get_for_model(Photo), object_id=str(in_album.pk),
                           author=friend, body="Красиво")
    about = Publication.objects.create(author=friend, body=f"Согласен с {SURNAME}ым во всём")
    conversation = conversation_of(person, friend)
    sent = say(conversation, person, f"Это {SURNAME}, мой номер 8 918 555-44-33", minutes_ago=2)
    answer = say(conversation, friend, f"Привет, {GIVEN}!")
    stranger_post = Publication.objects.create(author=UserFactory(), body="Реклама")
    made = services.report_create(actor=person, target=stranger_post, reason="spam",
                                  details=f"Пишу я, {SURNAME}")
    against = services.report_create(actor=friend, target=own, reason="abuse", details=f"{SURNAME} грубит")
    ban = Ban.objects.create(user=person, reason=f"{SURNAME} оскорблял", ends_at=timezone.now() + timedelta(days=1),
                             created_by=moderator)
    return {"person": person, "profile": profile, "credential": credential, "document": document, "own": own,
            "on_post": on_post, "album": album, "in_album": in_album, "about": about, "sent": sent,
            "answer": answer, "made": made, "against": against, "ban": ban, "conversation": conversation,
            "files": [profile.avatar.name, document.file.name, on_post.image.name, in_album.image.name]}


def test_erasure_deletes_his_profile_and_files_and_anonymises_what_he_wrote(
        scene, django_capture_on_commit_callbacks):  # noqa: F811
    world = _person_everywhere(scene)
    person = world["person"]
    assert all(default_storage.exists(name) for name in world["files"])

    with django_capture_on_commit_callbacks(execute=True):
        account_services.account_anonymise(actor=person, user=person, password=PASSWORD)

    assert not Profile.objects.filter(user_id=person.pk).exists()
    assert not Credential.objects.exists() and not Attachment.objects.filter(pk=world["document"].pk).exists()
    assert not Follow.objects.filter(follower=person).exists() and not Follow.objects.filter(followee=person).exists()
    assert not UserBlock.objects.filter(Q(blocker=person) | Q(blocked=person)).exists()
    assert not Album.objects.filter(pk=world["album"].pk).exists()
    assert not Photo.objects.filter(owner=person).exists()
    assert not Comment.objects.filter(object_id=str(world["in_album"].pk), body="Красиво").exists()
    assert not any(default_storage.exists(name) for name in world["files"])
    own = Publication.objects.get(pk=world["own"].pk)
    assert SURNAME not in own.body and "555" not in own.body and own.body.startswith("Пишет")
    assert SURNAME not in Publication.objects.get(pk=world["about"].pk).body
    sent = Message.objects.get(pk=world["sent"].pk)
    assert sent.sender_id is None and SURNAME not in sent.body and "555" not in sent.body
    answer = Message.objects.get(pk=world["answer"].pk)
    assert GIVEN not in answer.body and answer.sender_id == scene["reader"].pk
    assert not Participant.objects.filter(user=person).exists()
    assert Participant.objects.filter(conversation=world["conversation"], user=scene["reader"]).exists()
    made = AbuseReport.objects.get(pk=world["made"].pk)
    assert made.reporter_id is None and SURNAME not in made.details
    against = AbuseReport.objects.get(pk=world["against"].pk)
    assert against.target_owner_id is None and SURNAME not in against.details
    ban = Ban.objects.get(pk=world["ban"].pk)
    assert SURNAME not in ban.reason


def test_download_my_data_has_the_community_section(client, scene):  # noqa: F811
    world = _person_everywhere(scene)
    client.force_login(world["person"])
    answer = client.get(reverse("accounts:data-export"))
    assert answer.status_code == 200
    social = json.loads(answer.content)["social"]
    assert social["profile"]["about"] == f"Я {SURNAME}, инженер"
    assert social["credentials"][0]["title"] == "Кандидат наук"
    assert social["credentials"][0]["documents"] == ["диплом.pdf"]
    assert [f["account"] for f in social["follows"]] == [scene["reader"].pk] and social["followers_count"] == 1
    assert [b["account"] for b in social["blocks"]] == [scene["author"].pk]
    assert {p["text"] for p in social["publications"]} == {world["own"].body}
    assert social["albums"][0]["photos"][0]["caption"] == f"{SURNAME} у дома"
    # the messages he sent, never what others wrote to him
    assert [m["text"] for m in social["messages_sent"]] == [world["sent"].body]
    assert "Привет" not in json.dumps(social, ensure_ascii=False)
    assert [r["details"] for r in social["reports"]] == [f"Пишу я, {SURNAME}"]
    assert [b["reason"] for b in social["bans"]] == [f"{SURNAME} оскорблял"]
    # someone else's download holds none of it
    client.force_login(scene["author"])
    theirs = json.loads(client.get(reverse("accounts:data-export")).content)["social"]
    assert SURNAME not in json.dumps(theirs, ensure_ascii=False)
