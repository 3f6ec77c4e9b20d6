"""Writes of the community's content: publishing a post (text, photos, topics, links to Krai's objects), editing
and deleting it. The daily digest of new publications for followers is in ``services/digest.py``.

Settings (with defaults): ``KRAI_SOCIAL_PUBLICATION_RATE`` ("20/h": at most 20 publications an hour per person;
"/m", "/h", "/d"; honours ``RATELIMIT_ENABLE``), ``KRAI_SOCIAL_MAX_PHOTOS`` (10), ``KRAI_SOCIAL_MAX_TOPICS`` (5).

An author may edit his publication at any time (no window): the text, audience, topics and whether comments are
open. The page marks it "edited" and the event keeps the previous text's excerpt, so an edit after a discussion
began stays visible in the audit. A hidden publication cannot be edited (the moderators' decision stands) but
can be deleted; a banned author may still delete his own publications.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core import cards, ratelimit
from krai.core.comments.models import Comment
from krai.core.events.services import record_event
from krai.core.files.validation import inspect_upload
from krai.social import photos as gallery_photos
from krai.social import policy, texts
from krai.social.models import Photo, Publication, PublicationTopic, Topic, Visibility
from krai.social.models.content import AUDIENCES

__all__ = ["publication_create", "publication_delete", "publication_edit"]

MAX_BODY = 5000


class RateLimited(ValidationError):
    """Too many publications in a short time: a ValidationError for pages, a 429 for the API."""


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _check_rate(user: Any) -> None:
    limit, seconds = ratelimit.rate(getattr(settings, "KRAI_SOCIAL_PUBLICATION_RATE", "20/h"), "h")
    if not ratelimit.within("social:publish", user.pk, limit, seconds):
        raise RateLimited(_("You are publishing too often. Please wait a while and try again."),
                          code="rate_limited")


def _clean_body(body: Any) -> str:
    return texts.clean_body(body, limit=MAX_BODY,
                            too_long=_("A publication is at most %(limit)s characters (this one has %(length)s)."))


def _clean_audience(audience: Any) -> str:
    values = [value for value, _label in AUDIENCES]
    if audience not in values:
        raise ValidationError({"audience": ValidationError(_("Choose who may see the publication."),
                                                           code="invalid")})
    return str(audience)


def _clean_topics(topics: Iterable[Any]) -> list[Topic]:
    wanted = {getattr(t, "pk", t) for t in topics or ()}
    if not wanted:
        return []
    limit = _limit("KRAI_SOCIAL_MAX_TOPICS", 5)
    if len(wanted) > limit:
        raise ValidationError({"topics": ValidationError(
            _("Choose at most %(limit)s topics.") % {"limit": limit}, code="max_topics")})
    try:
        found = list(Topic.objects.filter(pk__in=wanted, is_active=True))
    except (TypeError, ValueError):
        found = []
    if len(found) != len(wanted):
        raise ValidationError({"topics": ValidationError(_("Choose topics from the list."), code="invalid")})
    return found


def _inspect_photos(photos: Iterable[Any]) -> list[dict[str, Any]]:
    """Every upload proved an image and re-encoded without metadata, or one error naming the file."""
    from PIL import Image

    photos = [p for p in photos or () if p]
    limit = _limit("KRAI_SOCIAL_MAX_PHOTOS", 10)
    if len(photos) > limit:
        raise ValidationError({"photos": ValidationError(
            _("Attach at most %(limit)s photos.") % {"limit": limit}, code="max_photos")})
    out = []
    for upload in photos:
        name = getattr(upload, "name", "") or ""
        try:
            inspected = inspect_upload(upload, allowed_kinds={"image"}, max_bytes=gallery_photos.max_photo_bytes())
        except ValidationError as exc:
            raise ValidationError({"photos": ValidationError(
                f"{name[-100:]}: {' '.join(exc.messages)}",
                code=exc.error_list[0].code or "invalid")}) from None
        with Image.open(io.BytesIO(inspected.content)) as image:
            width, height = image.size
        out.append({"content": inspected.content, "mime_type": inspected.mime_type, "extension": inspected.extension,
                    "width": width, "height": height})
    return out


def _store_photos(publication: Publication, actor: Any, photos: list[dict[str, Any]]) -> list[Photo]:
    stored: list[Photo] = []
    try:
        for position, data in enumerate(photos):
            photo = Photo(owner=actor, publication=publication, mime_type=data["mime_type"], width=data["width"],
                          height=data["height"], size=len(data["content"]), position=position)
            photo.image.save(f"{secrets.token_hex(16)}.{data['extension']}", ContentFile(data["content"]),
                             save=False)
            photo.save()
            stored.append(photo)
    except Exception:
        for photo in stored:
            photo.image.delete(save=False)
        raise
    transaction.on_commit(lambda: _make_sizes([p.pk for p in stored]), robust=True)
    return stored


def _make_sizes(ids: list[int]) -> None:
    """The galleries' job makes the smaller sizes; absent (not yet built), pages show the image scaled down."""
    try:
        from krai.social import tasks
    except ImportError:
        return
    job = getattr(tasks, "make_photo_sizes", None)
    if job is not None and ids:
        job(ids)


def _set_topics(publication: Publication, topics: list[Topic]) -> None:
    PublicationTopic.objects.filter(publication=publication).exclude(topic__in=topics).delete()
    have = set(PublicationTopic.objects.filter(publication=publication).values_list("topic_id", flat=True))
    PublicationTopic.objects.bulk_create([
        PublicationTopic(publication=publication, topic=topic, created_at=publication.created_at)
        for topic in topics if topic.pk not in have])


def _collect(checks: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    """Run every check, gathering all fields' errors into one ValidationError (a form shows them all at once)."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}
    for name, (check, value) in checks.items():
        try:
            cleaned[name] = check(value)
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _payload(publication: Publication, topics: list[Topic]) -> dict[str, Any]:
    return {"author_id": publication.author_id, "audience": publication.audience,
            "topics": sorted(t.code for t in topics), "links": publication.links,
            "excerpt": publication.body[:200]}


@transaction.atomic
def publication_create(*, actor: Any, body: str, audience: str = Visibility.PUBLIC, topics: Iterable[Any] = (),
                       photos: Iterable[Any] = (), comments_closed: bool = False) -> Publication:
    """Publish ``actor``'s post: text of 1–5000 characters, up to 10 photos (proved images, re-encoded without
    metadata), up to 5 topics; links to Krai's pages are kept to show as cards. Nothing is stored on refusal."""
    policy.ensure_may_act(actor)
    cleaned = _collect({"body": (_clean_body, body), "audience": (_clean_audience, audience),
                        "topics": (_clean_topics, topics), "photos": (_inspect_photos, photos)})
    if cleaned["photos"]:  # the one daily cap on photos, albums and publications alike
        gallery_photos.ensure_daily_cap(actor, adding=len(cleaned["photos"]))
    _check_rate(actor)
    text = cleaned["body"]
    publication = Publication.objects.create(author=actor, body=text, audience=cleaned["audience"],
                                             links=cards.links_in(text), comments_closed=bool(comments_closed))
    _set_topics(publication, cleaned["topics"])
    stored = _store_photos(publication, actor, cleaned["photos"])
    record_event(kind="social.publication_created", actor=actor, subject=publication,
                 payload={**_payload(publication, cleaned["topics"]), "photos": len(stored)})
    return publication


_UNSET: Any = object()


@transaction.atomic
def publication_edit(*, actor: Any, publication: Publication, body: str = _UNSET, audience: str = _UNSET,
                     topics: Iterable[Any] = _UNSET, comments_closed: bool = _UNSET) -> Publication:
    """Change one's own publication (what is not given stays); marked edited. Hidden ones cannot be edited."""
    policy.ensure_may_act(actor)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.author_id != actor.pk:
        raise PermissionDenied(_("Only the author may edit a publication."))
    if publication.is_hidden:
        raise PermissionDenied(_("A hidden publication cannot be edited."))
    given = {name: (check, value) for name, check, value in (
        ("body", _clean_body, body), ("audience", _clean_audience, audience), ("topics", _clean_topics, topics))
        if value is not _UNSET}
    changes = _collect(given)
    new_topics = changes.pop("topics", None)
    if comments_closed is not _UNSET:
        changes["comments_closed"] = bool(comments_closed)
    previous = publication.body
    changes = {k: v for k, v in changes.items() if getattr(publication, k) != v}
    old_topics = set(publication.topic_links.values_list("topic_id", flat=True))
    topics_changed = new_topics is not None and {t.pk for t in new_topics} != old_topics
    if topics_changed:
        _set_topics(publication, new_topics)
    elif not changes:
        return publication
    for field, value in changes.items():
        setattr(publication, field, value)
    if "body" in changes:
        publication.links = cards.links_in(publication.body)
    publication.edited_at = timezone.now()
    publication.save(update_fields=[*changes, "links", "edited_at"])
    topics_now = new_topics if new_topics is not None else list(publication.topics.all())
    record_event(kind="social.publication_edited", actor=actor, subject=publication,
                 payload={**_payload(publication, topics_now), "changed": sorted(changes) + (
                     ["topics"] if topics_changed else []), "previous_excerpt": previous[:200]})
    return publication


@transaction.atomic
def publication_delete(*, actor: Any, publication: Publication) -> None:
    """Delete one's own publication with its photos, topics and comments (files go after the commit)."""
    if actor is None or not actor.is_authenticated or not actor.is_active or publication.author_id != actor.pk:
        raise PermissionDenied(_("Only the author may delete a publication."))
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    names = [name for photo in publication.photos.all() for name in (photo.image.name, photo.thumb.name,
                                                                      photo.medium.name) if name]
    record_event(kind="social.publication_deleted", actor=actor, subject=publication,
                 payload={"author_id": publication.author_id, "excerpt": publication.body[:200],
                          "was_hidden": publication.is_hidden})
    Comment.objects.filter(content_type=ContentType.objects.get_for_model(Publication),
                           object_id=str(publication.pk)).delete()
    publication.delete()
    storage = Photo._meta.get_field("image").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)
