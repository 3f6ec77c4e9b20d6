"""Reads of the community's galleries, scoped to the reader: missing and not visible give the same 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from krai.core.privacy import mask_personal
from krai.social import policy
from krai.social.models import Album, Follow, Photo, Visibility

_MAX_ID = 2**63 - 1  # a larger id cannot name a row (and would make the database raise)


MASKED_TEXTS = ("title", "description", "caption")


def masked_for(viewer: Any, obj: Any) -> Any:
    """``obj`` (an album or a photo) with personal data in its texts masked unless ``viewer`` owns it.

    On output only: the instance is changed in memory, so never save one that went through here.
    """
    if obj is None or (policy.is_active_user(viewer) and obj.owner_id == viewer.pk):
        return obj
    for name in MASKED_TEXTS:
        if isinstance(getattr(obj, name, None), str):
            setattr(obj, name, mask_personal(getattr(obj, name)))
    obj._masked = True
    return obj


def albums_visible_to(viewer: Any) -> QuerySet[Album]:
    """Every album ``viewer`` may see: by audience, without hidden ones (except his own) and blocked people's."""
    qs = Album.objects.select_related("owner")
    if policy.is_moderator(viewer):
        return qs
    shown = Q(hidden_at__isnull=True)
    if not policy.is_active_user(viewer):
        return qs.filter(shown & Q(audience=Visibility.PUBLIC))
    followed = Follow.objects.filter(follower_id=viewer.pk, followee__isnull=False).values("followee_id")
    audience = (Q(audience__in=[Visibility.PUBLIC, Visibility.REGISTERED])
                | Q(audience=Visibility.FOLLOWERS, owner_id__in=followed))
    qs = qs.filter(Q(owner_id=viewer.pk) | (shown & audience))
    blocked = policy.blocked_ids(viewer)
    return qs.exclude(owner_id__in=blocked) if blocked else qs


def albums_of(viewer: Any, owner_id: int) -> QuerySet[Album]:
    """A person's albums ``viewer`` may see, newest first, with their number of photos."""
    return (albums_visible_to(viewer).filter(owner_id=owner_id)
            .annotate(photo_count=Count("photos", filter=_photos_shown_q(viewer, "photos__")))
            .order_by("-created_at", "-id"))


def album_get(viewer: Any, pk: int) -> Album:
    album = Album.objects.select_related("owner").filter(pk=pk).first() if int(pk) <= _MAX_ID else None
    if album is None or not policy.may_see_content(viewer, album):
        raise Http404
    return album


def _photos_shown_q(viewer: Any, prefix: str = "") -> Q:
    """Hidden photos show to their owner and moderators only."""
    if policy.is_moderator(viewer):
        return Q()
    shown = Q(**{f"{prefix}hidden_at__isnull": True})
    return shown | Q(**{f"{prefix}owner_id": viewer.pk}) if policy.is_active_user(viewer) else shown


def album_photos(viewer: Any, album: Album) -> QuerySet[Photo]:
    """The photos of an album ``viewer`` may see (the album itself already checked), in the owner's order."""
    return album.photos.filter(_photos_shown_q(viewer)).order_by("position", "id")


def photo_get(viewer: Any, pk: int) -> Photo:
    """A photo (of an album or a publication) ``viewer`` may see, or 404."""
    photo = (Photo.objects.select_related("album", "publication", "owner").filter(pk=pk).first()
             if int(pk) <= _MAX_ID else None)
    if photo is None or not policy.may_see_content(viewer, photo):
        raise Http404
    return photo


def photo_neighbours(viewer: Any, photo: Photo) -> tuple[Photo | None, Photo | None]:
    """The previous and the next photo ``viewer`` may see in the same album or publication."""
    parent = {"album_id": photo.album_id} if photo.album_id else {"publication_id": photo.publication_id}
    qs = Photo.objects.filter(**parent).filter(_photos_shown_q(viewer))
    before = Q(position__lt=photo.position) | Q(position=photo.position, id__lt=photo.pk)
    after = Q(position__gt=photo.position) | Q(position=photo.position, id__gt=photo.pk)
    return (qs.filter(before).order_by("-position", "-id").first(), qs.filter(after).order_by("position", "id").first())


def with_covers(viewer: Any, albums: Any) -> list[Album]:
    """``albums`` each with ``cover``: its first photo ``viewer`` may see, or ``None`` (two queries in all)."""
    albums = list(albums)
    first = (Photo.objects.filter(album_id=OuterRef("pk")).filter(_photos_shown_q(viewer))
             .order_by("position", "id").values("pk")[:1])
    cover_ids = dict(Album.objects.filter(pk__in=[a.pk for a in albums]).annotate(cover_id=Subquery(first))
                     .values_list("pk", "cover_id"))
    covers = Photo.objects.in_bulk([pk for pk in cover_ids.values() if pk])
    for album in albums:
        album.cover = covers.get(cover_ids.get(album.pk))
        masked_for(viewer, album)
    return albums


def latest_albums(viewer: Any, owner_id: int, *, limit: int = 6) -> list[Album]:
    """A person's newest albums ``viewer`` may see, each with a cover (its first visible photo) or ``None``."""
    return with_covers(viewer, albums_of(viewer, owner_id)[:limit])
