"""The pages: home (feed, everything, anonymous), publishing with photos and errors, a publication with its cards
and comments, editing and deleting, a topic's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from krai.core import cards
from krai.core.comments.services import comment_add
from krai.org.tests.factories import UserFactory
from krai.social.models import Follow, Publication, Topic, UserBlock
from krai.social.services import content as services
from krai.social.tests.test_content_services import ban, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory()


def client_for(client, user):
    client.force_login(user)
    return client


def test_anonymous_home_shows_public_and_a_call_to_sign_in(client, author):
    services.publication_create(actor=author, body="Open to all")
    services.publication_create(actor=author, body="Members only", audience="registered")
    response = client.get(reverse("social:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open to all" in html and "Members only" not in html
    assert 'id="sign-in-call"' in html and 'id="publication-form"' not in html


def test_signed_in_home_has_tabs_form_and_feed(client, author, citizen):
    Follow.objects.create(follower=citizen, followee=author)
    services.publication_create(actor=author, body="For my followers", audience="followers")
    services.publication_create(actor=UserFactory(), body="Someone unfollowed")
    client_for(client, citizen)
    feed = client.get(reverse("social:home")).content.decode()
    assert "For my followers" in feed and "Someone unfollowed" not in feed and 'id="publication-form"' in feed
    everything = client.get(reverse("social:home") + "?tab=all").content.decode()
    assert "For my followers" in everything and "Someone unfollowed" in everything


def test_publish_through_the_form_with_photos(client, citizen):
    roads = Topic.objects.create(code="roads", name="Roads")
    client_for(client, citizen)
    response = client.post(reverse("social:publish"), {
        "body": "Potholes on Lenina street", "audience": "registered", "topics": [roads.pk],
        "photos": [png("one.png"), png("two.png")]})
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("social:publication", args=[publication.pk])
    assert publication.audience == "registered" and publication.photos.count() == 2
    assert list(publication.topics.all()) == [roads]


def test_publish_errors_are_shown_and_nothing_stored(client, citizen):
    client_for(client, citizen)
    fake = SimpleUploadedFile("cat.jpg", b"not an image at all" * 10, content_type="image/jpeg")
    with override("en"):
        response = client.post(reverse("social:publish"), {"body": "look", "audience": "public", "photos": [fake]},
                               HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "cat.jpg" in response.content.decode()
    assert not Publication.objects.exists()


def test_banned_user_sees_the_ban_on_publishing(client, citizen):
    ban(citizen, "flooding")
    client_for(client, citizen)
    response = client.post(reverse("social:publish"), {"body": "hi", "audience": "public"})
    assert response.status_code == 400 and "flooding" in response.content.decode()
    assert not Publication.objects.exists()


def test_publication_page_audience_and_hidden(client, author, citizen):
    followers = services.publication_create(actor=author, body="Followers +7 912 345-67-89", audience="followers")
    url = reverse("social:publication", args=[followers.pk])
    assert client.get(url).status_code == 404
    client_for(client, citizen)
    assert client.get(url).status_code == 404
    Follow.objects.create(follower=citizen, followee=author)
    html = client.get(url).content.decode()
    assert "Followers" in html and "345-67-89" not in html  # the phone masked for others
    client_for(client, author)
    assert "345-67-89" in client.get(url).content.decode()  # the author reads his own text
    Publication.objects.filter(pk=followers.pk).update(hidden_at=timezone.now(), hidden_reason="rude")
    assert client.get(url).status_code == 200  # the author still sees it, with the reason
    client_for(client, citizen)
    assert client.get(url).status_code == 404
    assert "Followers" not in client.get(reverse("social:home") + "?tab=all").content.decode()


def test_text_is_escaped_and_links_clickable(client, author):
    publication = services.publication_create(actor=author, body="<script>alert(1)</script>\nhttps://example.org/x")
    html = client.get(reverse("social:publication", args=[publication.pk])).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert 'href="https://example.org/x"' in html and "<br>" in html


def test_cards_render_only_what_the_viewer_may_see(client, author, citizen):
    name = "social:topic"
    previous = cards._loaders.get(name)

    def loader(user, code):
        if getattr(user, "pk", None) != citizen.pk:
            return None
        return cards.Card(kind="Secret kind", title=f"Card of {code}", url="/x/", status="Open now")

    cards.register_card(name, loader)
    try:
        publication = services.publication_create(actor=author, body="See /community/topics/roads/ please")
        assert publication.links == ["/community/topics/roads/"]
        url = reverse("social:publication", args=[publication.pk])
        assert "Card of roads" not in client.get(url).content.decode()
        client_for(client, citizen)
        html = client.get(url).content.decode()
        assert "Card of roads" in html and "Secret kind" in html and "Open now" in html
    finally:
        if previous is None:
            cards._loaders.pop(name, None)
        else:
            cards._loaders[name] = previous


def test_comments_rules(author, citizen):
    publication = services.publication_create(actor=author, body="Discuss")
    assert citizen.has_perm("comments.add_comment", publication)
    comment_add(actor=citizen, target=publication, body="Agreed")
    blocked, banned = UserFactory(), UserFactory()
    UserBlock.objects.create(blocker=author, blocked=blocked)
    ban(banned)
    for user in (blocked, banned, AnonymousUser()):
        assert not user.has_perm("comments.add_comment", publication)
    with pytest.raises(PermissionDenied):
        comment_add(actor=blocked, target=publication, body="Let me in")
    services.publication_edit(actor=author, publication=publication, comments_closed=True)
    publication.refresh_from_db()
    assert not citizen.has_perm("comments.add_comment", publication)
    assert not citizen.has_perm("comments.moderate_comments", publication)


def test_publication_page_shows_the_discussion(client, author, citizen):
    publication = services.publication_create(actor=author, body="Discuss")
    comment_add(actor=citizen, target=publication, body="A thoughtful remark")
    html = client.get(reverse("social:publication", args=[publication.pk])).content.decode()
    assert "A thoughtful remark" in html


def test_edit_and_delete_pages(client, author, citizen):
    publication = services.publication_create(actor=author, body="Before")
    edit = reverse("social:publication_edit", args=[publication.pk])
    client_for(client, citizen)
    assert client.get(edit).status_code == 403
    assert client.post(reverse("social:publication_delete", args=[publication.pk])).status_code == 403
    client_for(client, author)
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"body": "After", "audience": "registered"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.body == "After" and publication.audience == "registered"
    assert client.post(edit, {"body": "", "audience": "public"}).status_code == 400
    client.post(reverse("social:publication_delete", args=[publication.pk]))
    assert not Publication.objects.exists()


def test_topic_page_and_paging(client, author):
    roads = Topic.objects.create(code="roads", name="Roads")
    base = timezone.now() - timedelta(days=1)
    for n in range(25):
        Publication.objects.create(author=author, body=f"road post {n:02d}", created_at=base + timedelta(minutes=n))
    for p in Publication.objects.all():
        p.topic_links.create(topic=roads, created_at=p.created_at)
    url = reverse("social:topic", args=["roads"])
    first = client.get(url).content.decode()
    assert "road post 24" in first and "road post 04" not in first and 'rel="next"' in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(url + older).content.decode()
    assert "road post 04" in second and "road post 24" not in second and 'rel="next"' not in second
    assert client.get(reverse("social:topic", args=["nope"])).status_code == 404


def test_home_paging_link(client, author):
    base = timezone.now() - timedelta(days=1)
    for n in range(21):
        Publication.objects.create(author=author, body=f"item {n:02d}", created_at=base + timedelta(minutes=n))
    first = client.get(reverse("social:home")).content.decode()
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(reverse("social:home") + older).content.decode()
    assert "item 00" in second and "item 20" not in second
