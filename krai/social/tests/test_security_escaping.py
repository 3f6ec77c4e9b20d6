"""Output escaped: people's words with markup and ``javascript:`` addresses render inert on every page that shows
them (a publication, a caption, an album, a profile, a message, a report's details)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from krai.org.tests.factories import UserFactory
from krai.social import services
from krai.social.models import Album, Photo, Profile
from krai.social.tests.test_moderation_base import conversation_of, moderator_user, say

EVIL = '<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) <a href="javascript:alert(4)">x</a>'


def web(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def assert_inert(html: str) -> None:
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert 'href="javascript:' not in html and "href='javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, so the test sees the right place


@pytest.fixture
def author(db: Any) -> Any:
    return UserFactory(email_confirmed=True)


def test_a_publication_renders_inert_in_the_feed_and_on_its_page(author: Any) -> None:
    publication = services.publication_create(actor=author, body=EVIL + "\nhttps://example.org/ok")
    for client in (web(), web(author)):
        page = client.get(reverse("social:publication", args=[publication.pk])).content.decode()
        assert_inert(page)
        assert 'href="https://example.org/ok"' in page  # links still work (urlize)
        assert_inert(client.get(reverse("social:home") + "?tab=all").content.decode())


def test_an_album_and_a_caption_render_inert(author: Any) -> None:
    album = Album.objects.create(owner=author, title=EVIL[:190], description=EVIL)
    photo = Photo.objects.create(owner=author, album=album, image="social/photos/x.jpg", mime_type="image/jpeg",
                                 caption=EVIL)
    for url in (reverse("social:album", args=[album.pk]), reverse("social:photo", args=[photo.pk]),
                reverse("social:albums", args=[author.pk])):
        html = web().get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
        assert 'href="javascript:' not in html, url
        assert "&lt;script&gt;alert(1)" in html, url  # the text is there, escaped


def test_a_profile_renders_inert_and_refuses_a_javascript_website(author: Any) -> None:
    services.profile_update(actor=author, user=author, display_name="<script>alert(1)</script>", about=EVIL,
                            position="<b>boss</b>")
    with pytest.raises(ValidationError):
        services.profile_update(actor=author, user=author, website="javascript:alert(1)")
    Profile.objects.filter(pk=author.pk).update(website="javascript:alert(4)")  # even if it got in somehow
    for client in (web(), web(UserFactory())):
        html = client.get(reverse("social:profile", args=[author.pk])).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>boss" not in html
        assert "&lt;b&gt;boss" in html and 'href="javascript:' not in html
        html = client.get(reverse("social:people"), {"q": "script"}).content.decode()
        assert "<script>alert(1)" not in html


def test_a_message_renders_inert(author: Any) -> None:
    friend = UserFactory()
    conversation = conversation_of(author, friend)
    say(conversation, author, EVIL)
    html = web(friend).get(reverse("social:conversation", args=[conversation.pk])).content.decode()
    assert_inert(html)
    assert_inert(web(friend).get(reverse("social:inbox")).content.decode().replace(
        "&lt;script&gt;alert(1)&lt;/script&gt;", "") + "&lt;script&gt;alert(1)&lt;/script&gt;")


def test_a_report_s_details_render_inert_to_the_moderator(author: Any) -> None:
    publication = services.publication_create(actor=author, body="Обычный текст")
    reporter = UserFactory(email_confirmed=True)
    report = services.report_create(actor=reporter, target=publication, reason="spam", details=EVIL)
    moderator = moderator_user()
    html = web(moderator).get(reverse("social:moderation_report", args=[report.pk])).content.decode()
    assert_inert(html)
    assert "<script>alert(1)" not in web(moderator).get(reverse("social:moderation")).content.decode()


def test_personal_data_in_album_and_caption_texts_is_masked_for_others(author: Any) -> None:
    from rest_framework.test import APIClient

    phone, mail = "+7 912 345-67-89", "ivan.petrov@example.org"
    album = Album.objects.create(owner=author, title="Альбом", description=f"Звоните {phone}")
    photo = Photo.objects.create(owner=author, album=album, image="social/photos/x.jpg", mime_type="image/jpeg",
                                 caption=f"Пишите {mail}")
    stranger = UserFactory()
    for client in (web(), web(stranger)):
        for url in (reverse("social:album", args=[album.pk]), reverse("social:photo", args=[photo.pk])):
            html = client.get(url).content.decode()
            assert phone not in html and mail not in html, url
    rest = APIClient()
    rest.force_authenticate(stranger)
    for url in (f"/api/v1/social/albums/{album.pk}/", f"/api/v1/social/albums/{album.pk}/photos/",
                f"/api/v1/social/photos/{photo.pk}/", f"/api/v1/social/albums/?owner={author.pk}"):
        text = rest.get(url).content.decode()
        assert phone not in text and mail not in text, url
    own = web(author).get(reverse("social:photo", args=[photo.pk])).content.decode()
    assert mail in own  # the owner reads his own words
    mine = APIClient()
    mine.force_authenticate(author)
    assert mine.get(f"/api/v1/social/photos/{photo.pk}/").json()["caption"] == f"Пишите {mail}"
