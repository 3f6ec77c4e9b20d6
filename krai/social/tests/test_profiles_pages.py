"""The profile pages through the test client: a profile as each reader sees it, editing my profile and avatar,
the directory, topics and my follows, the expert application, the verifiers' queue (refused to others, with no
menu link for them) and the public registry."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from krai.core.files.models import Attachment
from krai.org.tests.factories import MunicipalityFactory, UserFactory
from krai.social import services
from krai.social.models import Credential, Follow, Profile, UserBlock
from krai.social.tests.test_profiles_services import lists, pdf_upload, png, verifier  # noqa: F401 — fixtures


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def owner(db):
    user = UserFactory(given_name="Ольга", surname="Кузнецова")
    services.profile_update(actor=user, user=user, about="Архитектор", contact_email="olga@example.ru",
                            privacy={"contact_email": "registered"})
    return user


def test_a_profile_shows_each_field_to_whom_it_is_allowed(owner, citizen):
    url = reverse("social:profile", args=[owner.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert "Ольга К." in anonymous.text and "Архитектор" in anonymous.text and "olga@example.ru" not in anonymous.text
    registered = signed_in(citizen).get(url)
    assert "olga@example.ru" in registered.text
    assert reverse("social:follow", args=[owner.pk]) in registered.text
    assert reverse("social:block", args=[owner.pk]) in registered.text
    assert reverse("social:report", args=["profile", owner.pk]) in registered.text
    assert f'{reverse("social:conversation_new")}?to={owner.pk}' in registered.text
    mine = signed_in(owner).get(url)
    assert mine.status_code == 200 and reverse("social:profile_edit") in mine.text
    assert reverse("social:block", args=[owner.pk]) not in mine.text
    assert Client().get(reverse("social:profile", args=[10**6])).status_code == 404
    owner.is_active = False
    owner.save()
    assert Client().get(url).status_code == 404


def test_a_blocked_reader_sees_the_name_only(owner, citizen):
    UserBlock.objects.create(blocker=owner, blocked=citizen)
    page = signed_in(citizen).get(reverse("social:profile", args=[owner.pk]))
    assert page.status_code == 200 and "Ольга К." in page.text and "Архитектор" not in page.text
    assert "blocked the other" in page.text


def test_follow_and_unfollow_through_the_page(owner, citizen):
    client = signed_in(citizen)
    url = reverse("social:follow", args=[owner.pk])
    assert client.post(url).status_code == 302 and Follow.objects.filter(follower=citizen, followee=owner).exists()
    assert "Unfollow" in client.get(reverse("social:profile", args=[owner.pk])).text
    assert "Ольга К." in client.get(reverse("social:my_follows")).text
    client.post(url, {"undo": "1"})
    assert not Follow.objects.exists()
    refused = signed_in(owner).post(url, follow=True)  # oneself
    assert "cannot follow yourself" in refused.text and not Follow.objects.exists()
    assert Client().post(url).status_code == 302 and not Follow.objects.exists()  # to the login page


def test_editing_my_profile_and_avatar(citizen):
    client = signed_in(citizen)
    town = MunicipalityFactory(name="Туапсе")
    assert client.get(reverse("social:profile_edit")).status_code == 200
    form = {"display_name": "Пётр", "about": "", "position": "", "municipality": town.pk, "website": "",
            "contact_email": "", "contact_phone": "", "accept_messages": "registered", "is_discoverable": "on",
            **{f"privacy_{name}": "public" for name in ("about", "position", "municipality", "website",
                                                        "contact_email", "contact_phone", "follows", "followers")}}
    assert client.post(reverse("social:profile_edit"), form).status_code == 302
    profile = Profile.objects.get(pk=citizen.pk)
    assert profile.display_name == "Пётр" and profile.municipality == town
    assert profile.level("contact_email") == "public"
    bad = client.post(reverse("social:profile_edit"), {**form, "privacy_about": "friends"})
    assert bad.status_code == 400
    upload = SimpleUploadedFile("me.png", png(), content_type="image/png")
    client.post(reverse("social:avatar_edit"), {"image": upload})
    assert Profile.objects.get(pk=citizen.pk).avatar
    fake = SimpleUploadedFile("me.jpg", b"plain text, not an image", content_type="image/jpeg")
    refused = client.post(reverse("social:avatar_edit"), {"image": fake}, follow=True)
    assert "This kind of file is not accepted here" in refused.text


def test_avatars_are_public_with_caching_and_drawn_when_missing(owner):
    svg = Client().get(reverse("social:avatar", args=[owner.pk, "thumb"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and "ОК" in svg.content.decode()
    assert "public" in svg["Cache-Control"]
    services.profile_avatar_set(actor=owner, user=owner,
                                upload=SimpleUploadedFile("me.png", png(), content_type="image/png"))
    image = Client().get(reverse("social:avatar", args=[owner.pk, "full"]) + "?v=1")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert "immutable" in image["Cache-Control"]
    assert Client().get(reverse("social:avatar", args=[owner.pk, "huge"])).status_code == 404


def test_directory_and_topics(owner, citizen, lists):  # noqa: F811
    services.profile_update(actor=citizen, user=citizen, display_name="Скрытый", is_discoverable=False)
    page = Client().get(reverse("social:people"))
    assert "Ольга К." in page.text and "Скрытый" not in page.text
    assert "Ольга К." not in Client().get(reverse("social:people"), {"kind": "body"}).text
    client = signed_in(citizen)
    topics = client.get(reverse("social:topics"))
    assert "Дороги" in topics.text
    client.post(reverse("social:follow_topic", args=["roads"]))
    assert Follow.objects.filter(follower=citizen, topic=lists["roads"]).exists()
    assert "Дороги" in client.get(reverse("social:my_follows")).text
    assert client.post(reverse("social:follow_topic", args=["nope"])).status_code == 404


def test_the_expert_flow_through_the_pages(owner, citizen, lists, verifier):  # noqa: F811
    town = MunicipalityFactory(name="Геленджик")
    services.profile_update(actor=owner, user=owner, municipality=town, privacy={"municipality": "public"})
    client = signed_in(owner)
    answer = client.post(reverse("social:expert_apply"), {
        "fields_of_expertise": [lists["law"].pk], "kind": "degree", "title": "Кандидат юридических наук",
        "issuer": "КубГУ", "year": "2012", "documents": [pdf_upload()]})
    assert answer.status_code == 302
    credential = Credential.objects.get()
    document = Attachment.objects.get()
    assert client.get(reverse("files:download", args=[document.pk])).status_code == 200
    assert signed_in(citizen).get(reverse("files:download", args=[document.pk])).status_code == 404
    queue = reverse("social:experts_queue")
    assert signed_in(citizen).get(queue).status_code == 403
    assert Client().get(queue).status_code == 302
    staff = signed_in(verifier)
    listing = staff.get(queue)
    assert listing.status_code == 200 and "Кандидат юридических наук" in listing.text and "diploma.pdf" in listing.text
    assert signed_in(citizen).post(reverse("social:credential_decide", args=[credential.pk]),
                                   {f"c{credential.pk}-decision": "verify"}).status_code == 403
    staff.post(reverse("social:credential_decide", args=[credential.pk]),
               {f"c{credential.pk}-decision": "verify", f"c{credential.pk}-note": "ok"})
    assert Profile.objects.get(pk=owner.pk).is_expert
    found = Client().get(reverse("social:experts"), {"field": "law", "municipality": town.pk})
    assert "Ольга К." in found.text and "КубГУ" in found.text
    assert "Ольга К." not in Client().get(reverse("social:experts"), {"field": "it"}).text


def test_only_verifiers_hold_the_permission_the_workspace_menu_checks(citizen, verifier):  # noqa: F811
    assert citizen.has_perm("social.verify_credentials") is False
    assert verifier.has_perm("social.verify_credentials") is True
