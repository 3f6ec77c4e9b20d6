"""Reads of the community's content, scoped to the reader: one publication (404 alike for missing and not
visible), the topics, and a publication made ready to show (the author's name, the text escaped with its links
clickable and personal data masked for all but the author, the photos' addresses, the cards of its links)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.template.defaultfilters import urlize
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from krai.core import cards
from krai.core.privacy import mask_personal
from krai.social import policy
from krai.social.models import Photo, Profile, Publication, Topic


def publication_get(*, user: Any, pk: Any) -> Publication:
    """The publication ``pk`` if ``user`` may see it; ``Http404`` alike for a missing one and a hidden from him."""
    try:
        publication = Publication.objects.select_related("author").get(pk=int(pk))
    except (Publication.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    if not policy.may_see_content(user, publication):
        raise Http404
    return publication


def topics_active() -> list[Topic]:
    return list(Topic.objects.filter(is_active=True))


def topic_get(*, code: str) -> Topic:
    topic = Topic.objects.filter(code=code, is_active=True).first()
    if topic is None:
        raise Http404
    return topic


def follows_topic(user: Any, topic: Topic) -> bool:
    from krai.social.models import Follow

    return bool(user is not None and user.is_authenticated
                and Follow.objects.filter(follower_id=user.pk, topic_id=topic.pk).exists())


def may_edit(user: Any, publication: Publication) -> bool:
    return bool(user is not None and user.is_authenticated and publication.author_id == user.pk
                and not publication.is_hidden)


def body_html(text: str, *, masked: bool) -> SafeString:
    """The text escaped, addresses made links (``rel="nofollow"``), line breaks kept; masked unless ``masked`` is
    false (the author reading his own)."""
    text = mask_personal(text) if masked else text
    html = urlize(text, autoescape=True)  # escapes everything that is not a link, and the links themselves
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308 — escaped just above


def photo_url(photo: Photo) -> str:
    """The address of the photo's smallest ready size through the galleries' checked view, or "" without it."""
    size = "thumb" if photo.thumb else "full"
    try:
        return reverse("social:photo_file", args=[photo.pk, size])
    except NoReverseMatch:
        return ""


def report_url(publication: Publication) -> str:
    try:
        return reverse("social:report", args=["publication", publication.pk])
    except NoReverseMatch:
        return ""


def profile_url(user_id: int) -> str:
    try:
        return reverse("social:profile", args=[user_id])
    except NoReverseMatch:
        return ""


@dataclass
class Shown:
    """A publication as one reader sees it."""

    publication: Publication
    author_name: str
    author_url: str
    text: str  # the body as this reader may read it (masked unless his own)
    html: SafeString
    photos: list[tuple[Photo, str]]
    topics: list[Topic]
    cards: list[cards.Card]
    may_edit: bool


def shown(publications: list[Publication], viewer: Any, *, with_cards: bool = False) -> list[Shown]:
    """Each of ``publications`` (already scoped to ``viewer``) ready for a page or the API."""
    authors = {p.author_id for p in publications}
    names = dict(Profile.objects.filter(user_id__in=authors).values_list("user_id", "display_name"))
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    out = []
    for publication in publications:
        own = publication.author_id == viewer_id
        card_list = []
        if with_cards:
            card_list = [card for card in (cards.card_for(path, viewer) for path in publication.links or [])
                         if card is not None]
        out.append(Shown(
            publication=publication,
            author_name=names.get(publication.author_id) or policy.default_name(publication.author),
            author_url=profile_url(publication.author_id),
            text=publication.body if own else mask_personal(publication.body),
            html=body_html(publication.body, masked=not own),
            photos=[(photo, photo_url(photo)) for photo in publication.photos.all() if not photo.is_hidden or own],
            topics=list(publication.topics.all()),
            cards=card_list,
            may_edit=may_edit(viewer, publication),
        ))
    return out
