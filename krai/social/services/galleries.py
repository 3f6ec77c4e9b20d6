"""Writes of the community's galleries: albums and their photos. Only the owner changes them; a banned person
changes nothing. Events carry no coordinates (``social.album_*``, ``social.photo_*``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.social import photos, policy
from krai.social.models import Album, Photo, Visibility
from krai.social.rules import galleries as _registered_rules  # noqa: F401 — the edit_* rules used below

__all__ = ["album_create", "album_delete", "album_edit", "photo_add", "photo_delete", "photo_edit",
           "photos_reorder"]

_UNSET: Any = object()


def _max_photos_per_album() -> int:
    return int(getattr(settings, "KRAI_SOCIAL_PHOTOS_PER_ALBUM", 500))


def _ensure_owner(actor: Any, obj: Any, perm: str) -> None:
    policy.ensure_may_act(actor)
    if not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(_("Only the owner may change this album and its photos."))


def _clean_title(title: Any) -> str:
    title = " ".join(str(title or "").split())
    if not title:
        raise ValidationError({"title": ValidationError(_("Give the album a title."), code="required")})
    if len(title) > 200:
        raise ValidationError({"title": ValidationError(_("A title is at most 200 characters."), code="max_length")})
    return title


def _clean_description(description: Any) -> str:
    text = str(description or "").replace("\r\n", "\n").strip()
    if len(text) > 5000:
        raise ValidationError({"description": ValidationError(_("A description is at most 5000 characters."),
                                                              code="max_length")})
    return text


def _clean_audience(audience: Any) -> str:
    if audience not in {Visibility.PUBLIC, Visibility.REGISTERED, Visibility.FOLLOWERS}:
        raise ValidationError({"audience": ValidationError(_("Choose who may see it."), code="invalid")})
    return str(audience)


def _clean_caption(caption: Any) -> str:
    text = " ".join(str(caption or "").split())
    if len(text) > 500:
        raise ValidationError({"caption": ValidationError(_("A caption is at most 500 characters."),
                                                          code="max_length")})
    return text


def _album_payload(album: Album) -> dict[str, Any]:
    return {"album_id": album.pk, "owner_id": album.owner_id, "title": album.title, "audience": album.audience}


def _photo_payload(photo: Photo) -> dict[str, Any]:
    # never the coordinates: the event outlives the owner's choice to remove them
    return {"photo_id": photo.pk, "album_id": photo.album_id, "owner_id": photo.owner_id,
            "mime_type": photo.mime_type, "size": photo.size, "keep_location": photo.keep_location}


def album_create(*, actor: Any, title: str, description: str = "", audience: str = Visibility.PUBLIC) -> Album:
    """A new album of ``actor``'s."""
    policy.ensure_may_act(actor)
    values = {"title": _clean_title(title), "description": _clean_description(description),
              "audience": _clean_audience(audience)}
    with transaction.atomic():
        album = Album.objects.create(owner=actor, **values)
        record_event(kind="social.album_created", actor=actor, subject=album, payload=_album_payload(album))
    return album


def album_edit(*, actor: Any, album: Album, title: str = _UNSET, description: str = _UNSET,
               audience: str = _UNSET) -> Album:
    """Change an album's title, description or audience (only what is given)."""
    _ensure_owner(actor, album, "social.edit_album")
    changes: dict[str, Any] = {}
    if title is not _UNSET:
        changes["title"] = _clean_title(title)
    if description is not _UNSET:
        changes["description"] = _clean_description(description)
    if audience is not _UNSET:
        changes["audience"] = _clean_audience(audience)
    with transaction.atomic():
        album = Album.objects.select_for_update().get(pk=album.pk)
        changed = sorted(k for k, v in changes.items() if getattr(album, k) != v)
        if not changed:
            return album
        for key in changed:
            setattr(album, key, changes[key])
        album.save(update_fields=[*changed, "updated_at"])
        record_event(kind="social.album_edited", actor=actor, subject=album,
                     payload={**_album_payload(album), "changed": changed})
    return album


def album_delete(*, actor: Any, album: Album) -> None:
    """Delete an album with its photos; their files go once the deletion commits."""
    _ensure_owner(actor, album, "social.edit_album")
    with transaction.atomic():
        names = [name for photo in album.photos.all() for name in photos.photo_files(photo)]
        payload = {**_album_payload(album), "photos": album.photos.count()}
        record_event(kind="social.album_deleted", actor=actor, subject=album, payload=payload)
        album.delete()
        photos.delete_after_commit(names)


def photo_add(*, actor: Any, album: Album, upload: Any, caption: str = "", keep_location: bool = False) -> Photo:
    """Add one uploaded photo to an album (owner only; a daily cap and an album limit apply).

    The file is proved an image and stored without metadata; with ``keep_location`` the place read from its EXIF
    is kept in the photo's coordinates. Raises ``ValidationError`` for a file that is not accepted.
    """
    _ensure_owner(actor, album, "social.edit_album")
    caption = _clean_caption(caption)
    photos.ensure_daily_cap(actor)
    prepared = photos.prepare_photo(upload, keep_location=bool(keep_location))
    with transaction.atomic():
        album = Album.objects.select_for_update().get(pk=album.pk)
        if album.photos.count() >= _max_photos_per_album():
            raise ValidationError(_("An album holds at most %(limit)s photos.") % {"limit": _max_photos_per_album()},
                                  code="album_full")
        last = album.photos.aggregate(last=Max("position"))["last"]
        photo = photos.store_photo(owner=actor, prepared=prepared, album=album, caption=caption,
                                   position=0 if last is None else last + 1)
        record_event(kind="social.photo_added", actor=actor, subject=photo, payload=_photo_payload(photo))
    return photo


def photo_edit(*, actor: Any, photo: Photo, caption: str = _UNSET, keep_location: bool = _UNSET) -> Photo:
    """Change a photo's caption, or stop showing where it was taken.

    Turning ``keep_location`` off deletes the coordinates for good: turning it on again later cannot bring them
    back (the stored file has no EXIF to read them from).
    """
    _ensure_owner(actor, photo, "social.edit_photo")
    changes: dict[str, Any] = {}
    if caption is not _UNSET:
        changes["caption"] = _clean_caption(caption)
    if keep_location is not _UNSET:
        changes["keep_location"] = bool(keep_location)
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        changed = sorted(k for k, v in changes.items() if getattr(photo, k) != v)
        if not changed:
            return photo
        for key in changed:
            setattr(photo, key, changes[key])
        fields = list(changed)
        if not photo.keep_location:
            photo.latitude = photo.longitude = None
            fields += ["latitude", "longitude"]
        photo.save(update_fields=fields)
        record_event(kind="social.photo_edited", actor=actor, subject=photo,
                     payload={**_photo_payload(photo), "changed": changed})
    return photo


def photo_delete(*, actor: Any, photo: Photo) -> None:
    """Delete a photo; its files go once the deletion commits."""
    _ensure_owner(actor, photo, "social.edit_photo")
    with transaction.atomic():
        names = photos.photo_files(photo)
        record_event(kind="social.photo_deleted", actor=actor, subject=photo, payload=_photo_payload(photo))
        photo.delete()
        photos.delete_after_commit(names)


def photos_reorder(*, actor: Any, album: Album, order: Sequence[int]) -> list[int]:
    """Put an album's photos in the order given (ids); photos not named keep their order after them."""
    _ensure_owner(actor, album, "social.edit_album")
    try:
        wanted = [int(pk) for pk in order]
    except (TypeError, ValueError):
        raise ValidationError({"order": ValidationError(_("List the album's photos by their ids."),
                                                        code="invalid")}) from None
    if len(set(wanted)) != len(wanted):
        raise ValidationError({"order": ValidationError(_("A photo is named twice."), code="invalid")})
    with transaction.atomic():
        Album.objects.select_for_update().filter(pk=album.pk).first()
        current = list(album.photos.order_by("position", "id").values_list("pk", "position"))
        ids = [pk for pk, _position in current]
        if set(wanted) - set(ids):
            raise ValidationError({"order": ValidationError(_("Some of the photos are not in this album."),
                                                            code="invalid")})
        final = wanted + [pk for pk in ids if pk not in set(wanted)]
        positions = dict(current)
        moved = [pk for index, pk in enumerate(final) if positions[pk] != index]
        if not moved:
            return final
        for index, pk in enumerate(final):
            if positions[pk] != index:
                Photo.objects.filter(pk=pk).update(position=index)
        record_event(kind="social.photos_reordered", actor=actor, subject=album,
                     payload={"album_id": album.pk, "order": final})
    return final
