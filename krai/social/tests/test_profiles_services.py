"""Profiles, follows and the expert registry through their services and selectors: the privacy matrix (each
level × anonymous, registered, follower, owner, blocked), the profile's validation and its event, avatars
(an image re-encoded and cropped; a text file renamed .jpg refused with nothing stored), follow rules (bans,
blocks, oneself, a second follow), the expert flow (apply → verify → found by field and municipality; reject;
revoke; a non-verifier refused), and the seeds."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from krai.core.events.models import Event
from krai.core.files.models import Attachment
from krai.core.notifications.models import Notification
from krai.org.models import Role
from krai.org.tests.factories import MunicipalityFactory, StaffFactory, UserFactory, assign
from krai.social import seeds, services
from krai.social.models import Ban, Credential, ExpertiseField, Follow, Profile, Topic, UserBlock, Visibility
from krai.social.selectors import profiles as selectors


def png(width: int = 300, height: int = 200, colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def pdf_upload(name: str = "diploma.pdf") -> SimpleUploadedFile:
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def ban(user) -> Ban:
    return Ban.objects.create(user=user, reason="спам", ends_at=timezone.now() + timedelta(days=3))


@pytest.fixture
def lists(db):
    seeds.ensure_seeds()
    return {"law": ExpertiseField.objects.get(code="law"), "it": ExpertiseField.objects.get(code="it"),
            "roads": Topic.objects.get(code="roads")}


@pytest.fixture
def verifier(db):
    staff = StaffFactory(surname="Проверяющий")
    assign(staff, Role.CONTROLLER)
    return staff


@pytest.fixture
def people(db):
    return {name: UserFactory(given_name=name.capitalize(), surname="Тестов")
            for name in ("owner", "follower", "stranger", "blocked")}


# --- privacy ---------------------------------------------------------------------------------------

LEVELS = [Visibility.PUBLIC, Visibility.REGISTERED, Visibility.FOLLOWERS, Visibility.NOBODY]
#: who sees a field at each level: anonymous, registered, follower, owner, blocked (a follower who was blocked)
SEES = {
    Visibility.PUBLIC: (True, True, True, True, False),
    Visibility.REGISTERED: (False, True, True, True, False),
    Visibility.FOLLOWERS: (False, False, True, True, False),
    Visibility.NOBODY: (False, False, False, True, False),
}


@pytest.mark.parametrize("level", LEVELS)
def test_each_private_field_shows_only_to_whom_its_level_allows(people, level):
    owner, follower, stranger, blocked = people["owner"], people["follower"], people["stranger"], people["blocked"]
    town = MunicipalityFactory(name="Сочи")
    services.profile_update(actor=owner, user=owner, about="Инженер-дорожник", position="Главный инженер",
                            municipality=town, website="https://example.ru", contact_email="me@example.ru",
                            contact_phone="+7 900 000-00-00",
                            privacy=dict.fromkeys(selectors.PRIVATE_FIELDS, level))
    for reader in (follower, blocked):
        services.follow_user(actor=reader, user=owner)
    services.follow_user(actor=owner, user=stranger)
    UserBlock.objects.create(blocker=owner, blocked=blocked)
    readers = (AnonymousUser(), stranger, follower, owner, blocked)
    for reader, expected in zip(readers, SEES[level], strict=True):
        view = selectors.profile_view(reader, owner.pk)
        for name in selectors.VALUE_FIELDS:
            assert (name in view.fields) is expected, (level, reader, name)
        assert (view.follows is not None) is expected and (view.followers is not None) is expected
        if expected:
            assert view.fields["municipality"] == town
    assert selectors.profile_view(blocked, owner.pk).blocked
    if SEES[level][2]:
        assert selectors.person_entry(follower) in selectors.profile_view(follower, owner.pk).followers
        assert selectors.profile_view(follower, owner.pk).follows == [selectors.person_entry(stranger)]


def test_defaults_show_about_to_everyone_and_contacts_to_nobody(people):
    owner = people["owner"]
    services.profile_update(actor=owner, user=owner, about="Обо мне", contact_email="me@example.ru")
    assert selectors.profile_view(AnonymousUser(), owner.pk).fields == {"about": "Обо мне"}


def test_about_is_masked_for_others_but_not_for_the_owner(people):
    owner = people["owner"]
    services.profile_update(actor=owner, user=owner, about="Звоните +7 900 123-45-67")
    assert "123-45-67" not in selectors.profile_view(people["stranger"], owner.pk).fields["about"]
    assert "123-45-67" in selectors.profile_view(owner, owner.pk).fields["about"]


def test_missing_and_inactive_accounts_are_404(people):
    from django.http import Http404

    people["stranger"].is_active = False
    people["stranger"].save()
    for pk in (people["stranger"].pk, 10**6, "x", 2**40):
        with pytest.raises(Http404):
            selectors.profile_view(people["owner"], pk)


# --- the profile -----------------------------------------------------------------------------------

def test_first_save_makes_the_profile_and_the_event_names_fields_only(people):
    owner = people["owner"]
    assert not Profile.objects.filter(pk=owner.pk).exists()
    services.profile_update(actor=owner, user=owner, display_name="Ольга К.", contact_phone="+7 900 111-22-33",
                            privacy={"contact_phone": Visibility.REGISTERED})
    profile = Profile.objects.get(pk=owner.pk)
    assert profile.display_name == "Ольга К." and profile.level("contact_phone") == "registered"
    assert profile.level("about") == "public"  # the others keep their defaults
    event = Event.objects.get(kind="social.profile_updated")
    assert sorted(event.payload["changed"]) == ["contact_phone", "display_name", "privacy"]
    assert "111-22-33" not in str(event.payload) and "Ольга" not in str(event.payload)
    services.profile_update(actor=owner, user=owner, display_name="Ольга К.")  # nothing changes: no event
    assert Event.objects.filter(kind="social.profile_updated").count() == 1


@pytest.mark.parametrize("fields, field", [
    ({"display_name": "  "}, "display_name"),
    ({"display_name": "x" * 151}, "display_name"),
    ({"about": "a" * 2001}, "about"),
    ({"privacy": {"about": "friends"}}, "privacy"),
    ({"privacy": {"password": "public"}}, "privacy"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"contact_email": "not an e-mail"}, "contact_email"),
    ({"accept_messages": "everyone"}, "accept_messages"),
    ({"kind": "body"}, "kind"),
])
def test_invalid_fields_are_refused_by_name_and_nothing_is_written(people, fields, field):
    owner = people["owner"]
    with pytest.raises(ValidationError) as refused:
        services.profile_update(actor=owner, user=owner, **fields)
    assert field in refused.value.message_dict
    assert not Profile.objects.filter(pk=owner.pk).exists()


def test_nobody_edits_another_ones_profile_and_a_banned_one_may_only_hide_things(people):
    owner = people["owner"]
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=people["stranger"], user=owner, about="Чужое")
    ban(owner)
    with pytest.raises(ValidationError):
        services.profile_update(actor=owner, user=owner, about="Реклама")
    services.profile_update(actor=owner, user=owner, is_discoverable=False)
    assert Profile.objects.get(pk=owner.pk).is_discoverable is False


def test_staff_with_the_admin_permission_set_an_organisations_kind(people):
    admin = StaffFactory(is_superuser=True)
    services.profile_update(actor=admin, user=people["owner"], kind=Profile.Kind.ORGANISATION,
                            display_name="Союз краеведов")
    assert Profile.objects.get(pk=people["owner"].pk).kind == "organisation"


# --- avatars ---------------------------------------------------------------------------------------

def test_an_image_becomes_a_square_avatar_and_thumbnail_without_metadata(people, django_capture_on_commit_callbacks):
    owner = people["owner"]
    upload = SimpleUploadedFile("me.png", png(), content_type="image/png")
    profile = services.profile_avatar_set(actor=owner, user=owner, upload=upload)
    with profile.avatar.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.size == (256, 256) and image.format == "JPEG" and "exif" not in image.info
    with profile.avatar_thumb.open("rb") as stored:
        assert Image.open(io.BytesIO(stored.read())).size == (64, 64)
    old = profile.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_avatar_set(actor=owner, user=owner,
                                    upload=SimpleUploadedFile("b.png", png(colour="blue"), content_type="image/png"))
    assert not os.path.exists(old)  # the replaced file is gone once the change committed
    current = Profile.objects.get(pk=owner.pk).avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_avatar_remove(actor=owner, user=owner)
    assert not Profile.objects.get(pk=owner.pk).avatar and not os.path.exists(current)
    assert Event.objects.filter(kind__in=["social.avatar_set", "social.avatar_removed"]).count() == 3


def test_a_text_file_named_jpg_is_refused_with_its_message_and_nothing_is_stored(people, settings):
    owner = people["owner"]
    upload = SimpleUploadedFile("photo.jpg", b"this is not a picture at all", content_type="image/jpeg")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.profile_avatar_set(actor=owner, user=owner, upload=upload)
    assert "This kind of file is not accepted here" in refused.value.messages[0]
    assert not Profile.objects.filter(pk=owner.pk).exists()
    media = settings.MEDIA_ROOT
    assert not os.path.exists(media) or not any(files for _root, _dirs, files in os.walk(media))


def test_a_banned_person_cannot_upload_an_avatar(people):
    ban(people["owner"])
    with pytest.raises(ValidationError):
        services.profile_avatar_set(actor=people["owner"], user=people["owner"],
                                    upload=SimpleUploadedFile("me.png", png(), content_type="image/png"))


# --- follows ---------------------------------------------------------------------------------------

def test_a_follow_notifies_once_and_a_second_follow_is_a_no_op(people):
    owner, follower = people["owner"], people["follower"]
    first = services.follow_user(actor=follower, user=owner)
    again = services.follow_user(actor=follower, user=owner)
    assert first.pk == again.pk and Follow.objects.count() == 1
    told = Notification.objects.filter(user=owner, kind="social.followed")
    assert told.count() == 1
    assert services.unfollow_user(actor=follower, user=owner) is True
    assert services.unfollow_user(actor=follower, user=owner) is False
    assert not Follow.objects.exists()
    assert list(Event.objects.filter(kind__startswith="social.").values_list("kind", flat=True)
                .order_by("id")) == ["social.followed", "social.unfollowed"]


def test_follow_refusals_self_banned_blocked_inactive(people):
    owner, follower = people["owner"], people["follower"]
    with translation.override("en"):
        with pytest.raises(ValidationError, match="cannot follow yourself"):
            services.follow_user(actor=owner, user=owner)
        UserBlock.objects.create(blocker=owner, blocked=follower)
        for actor, user in ((follower, owner), (owner, follower)):  # blocked either way
            with pytest.raises(ValidationError, match="blocked"):
                services.follow_user(actor=actor, user=user)
        ban(people["stranger"])
        with pytest.raises(ValidationError, match="banned"):
            services.follow_user(actor=people["stranger"], user=owner)
        with pytest.raises(PermissionDenied):
            services.follow_user(actor=AnonymousUser(), user=owner)
    owner.is_active = False
    owner.save()
    with pytest.raises(ValidationError):
        services.follow_user(actor=people["blocked"], user=owner)
    assert not Follow.objects.exists() and not Notification.objects.exists()


def test_topics_are_followed_once_and_closed_ones_refused(people, lists):
    reader = people["follower"]
    services.follow_topic(actor=reader, topic=lists["roads"])
    services.follow_topic(actor=reader, topic=lists["roads"])
    assert selectors.followed_topic_ids(reader) == {lists["roads"].pk}
    closed = Topic.objects.create(code="old", name="Старое", is_active=False)
    with pytest.raises(ValidationError):
        services.follow_topic(actor=reader, topic=closed)
    ban(reader)
    with pytest.raises(ValidationError):
        services.follow_topic(actor=reader, topic=Topic.objects.get(code="ecology"))
    assert services.unfollow_topic(actor=reader, topic=lists["roads"]) is True  # leaving is allowed while banned
    assert selectors.followed_topic_ids(reader) == set()


def test_the_directory_hides_the_undiscoverable_the_blocked_and_a_hidden_municipality(people):
    town = MunicipalityFactory(name="Анапа")
    owner, stranger, blocked = people["owner"], people["stranger"], people["blocked"]
    services.profile_update(actor=owner, user=owner, display_name="Анна Т.", municipality=town)
    services.profile_update(actor=stranger, user=stranger, display_name="Борис Т.", is_discoverable=False)
    services.profile_update(actor=blocked, user=blocked, display_name="Вера Т.", municipality=town,
                            privacy={"municipality": Visibility.PUBLIC})
    UserBlock.objects.create(blocker=blocked, blocked=people["follower"])
    reader = people["follower"]
    assert [p.display_name for p in selectors.people(reader)] == ["Анна Т."]
    assert [p.display_name for p in selectors.people(AnonymousUser())] == ["Анна Т.", "Вера Т."]
    # Анна shows her municipality to registered users only: an anonymous search by it does not find her
    assert [p.display_name for p in selectors.people(AnonymousUser(), municipality=town)] == ["Вера Т."]
    assert [p.display_name for p in selectors.people(reader, municipality=town.pk)] == ["Анна Т."]
    assert [p.display_name for p in selectors.people(AnonymousUser(), q="Вера")] == ["Вера Т."]


# --- the expert registry ---------------------------------------------------------------------------

def apply(user, lists, *, documents=()) -> Credential:
    services.expert_apply(actor=user, fields=[lists["law"]], documents=documents,
                          credential={"kind": "degree", "title": "Кандидат юридических наук",
                                      "issuer": "КубГУ", "year": 2015})
    return Credential.objects.filter(profile_id=user.pk).latest("id")


def test_the_expert_flow_apply_verify_and_be_found(people, lists, verifier):
    expert, town = people["owner"], MunicipalityFactory(name="Ейск")
    services.profile_update(actor=expert, user=expert, display_name="Ирина Юристова", municipality=town,
                            privacy={"municipality": Visibility.PUBLIC})
    credential = apply(expert, lists, documents=[pdf_upload()])
    profile = Profile.objects.get(pk=expert.pk)
    assert profile.expert_status == "pending" and not selectors.is_verified_expert(expert)
    document = Attachment.objects.get()
    # the documents: the owner and the verifiers only
    assert expert.has_perm("files.view_attachment", document) and verifier.has_perm("files.view_attachment", document)
    assert not people["stranger"].has_perm("files.view_attachment", document)
    assert list(selectors.credentials_pending(verifier)) == [credential]
    assert not selectors.credentials_pending(people["stranger"]).exists()
    with pytest.raises(PermissionDenied):
        services.credential_verify(actor=people["stranger"], credential=credential)
    services.credential_verify(actor=verifier, credential=credential, note="Диплом проверен")
    profile.refresh_from_db()
    assert profile.is_expert and profile.expert_verified_by == verifier and profile.expert_verified_at
    assert selectors.is_verified_expert(expert)
    # the structure's expert role comes with it, so the areas' rules (org's ``is_expert``) know him
    from krai.org.models import Role, RoleAssignment
    assert RoleAssignment.objects.filter(user=expert, role=Role.EXPERT, scope="self").count() == 1
    assert Notification.objects.filter(user=expert, kind="social.credential_verified").count() == 1
    assert list(selectors.experts(field=lists["law"], municipality=town)) == [profile]
    assert list(selectors.experts(field="law", q="Ирина")) == [profile]
    assert not selectors.experts(field=lists["it"]).exists()
    assert not selectors.experts(municipality=MunicipalityFactory()).exists()
    view = selectors.profile_view(AnonymousUser(), expert.pk)
    assert view.credentials == [credential] and view.expertise == [lists["law"]]
    with pytest.raises(ValidationError):
        services.credential_verify(actor=verifier, credential=credential)  # reviewed already


def test_a_rejected_application_goes_back_and_the_person_reads_why(people, lists, verifier):
    expert = people["owner"]
    credential = apply(expert, lists)
    with pytest.raises(ValidationError):
        services.credential_reject(actor=verifier, credential=credential, note="")
    services.credential_reject(actor=verifier, credential=credential, note="Нет документа")
    credential.refresh_from_db()
    assert credential.status == "rejected" and credential.review_note == "Нет документа"
    assert Profile.objects.get(pk=expert.pk).expert_status == "none"
    told = Notification.objects.get(user=expert, kind="social.credential_rejected")
    assert told.body == "Нет документа"
    assert not selectors.experts().exists()
    assert Event.objects.filter(kind="social.credential_rejected", actor=verifier).exists()


def test_revoke_withdraws_the_status_and_nobody_verifies_himself(people, lists, verifier):
    expert = people["owner"]
    services.credential_verify(actor=verifier, credential=apply(expert, lists))
    with pytest.raises(PermissionDenied):
        services.expert_revoke(actor=people["stranger"], user=expert, reason="—")
    services.expert_revoke(actor=verifier, user=expert, reason="Подложный диплом")
    assert Profile.objects.get(pk=expert.pk).expert_status == "revoked" and not selectors.is_verified_expert(expert)
    from krai.org.models import Role, RoleAssignment
    assert not RoleAssignment.objects.filter(user=expert, role=Role.EXPERT).exists()
    assert selectors.profile_view(AnonymousUser(), expert.pk).credentials == []
    own = apply(verifier, lists)
    with pytest.raises(PermissionDenied):
        services.credential_verify(actor=verifier, credential=own)


def test_an_application_needs_a_field_and_a_credential(people, lists):
    with pytest.raises(ValidationError) as refused:
        services.expert_apply(actor=people["owner"], fields=[])
    assert "fields" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.expert_apply(actor=people["owner"], fields=[lists["law"]])
    assert "title" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.expert_apply(actor=people["owner"], fields=[lists["law"]],
                              credential={"kind": "degree", "title": "Доктор наук", "year": 1800})
    assert "year" in refused.value.message_dict
    assert not Credential.objects.exists() and not Profile.objects.exists()


def test_seeds_add_only_what_is_missing(db):
    first = seeds.ensure_seeds()
    assert len(first["topics"]) == 12 and len(first["expertise_fields"]) == 12
    Topic.objects.filter(code="roads").update(name="Дороги и мосты")
    assert seeds.ensure_seeds() == {"topics": [], "expertise_fields": []}
    assert Topic.objects.get(code="roads").name == "Дороги и мосты"
    assert Event.objects.filter(kind="social.lists_seeded").count() == 1
