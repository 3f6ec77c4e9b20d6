"""Photos of the community: an upload proved and cleaned, stored under a random name, its smaller sizes made by a job.

``prepare_photo`` reads where the photo was taken from the ORIGINAL bytes' EXIF (only when the author asked to
keep it), then has ``krai.core.files.validation.inspect_upload`` prove the file is an image and re-encode it
without any metadata. So a stored file never carries EXIF; a kept place lives in the photo's ``latitude`` and
``longitude`` only. ``store_photo`` writes the file and the row (inside the caller's transaction, whose event
records it) and has the sizes made after commit. ``make_sizes`` and ``sweep`` are the job's bookkeeping: derived
copies of a file already recorded, so no event of their own (``krai/social/tasks.py`` runs them).
"""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from krai.core.files import validation
from krai.social.exif import read_location
from krai.social.models import Photo

log = logging.getLogger(__name__)

FOLDER = "social/photos"
SIZES = {"thumb": 320, "medium": 1280}  # the longer side, in pixels
MIME_BY_EXTENSION = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
                     "gif": "image/gif"}


def max_photo_bytes() -> int:
    """The largest photo accepted (never above the installation's upload limit)."""
    return validation.max_upload_bytes(int(getattr(settings, "KRAI_SOCIAL_PHOTO_MAX_BYTES", 15 * 1024 * 1024)))


def photos_per_day() -> int:
    return int(getattr(settings, "KRAI_SOCIAL_PHOTOS_PER_DAY", 300))


def ensure_daily_cap(user: Any, *, adding: int = 1) -> None:
    """Refuse when ``user`` would upload more than the daily number of photos (albums and publications alike)."""
    since = timezone.now() - timedelta(days=1)
    used = Photo.objects.filter(owner_id=user.pk, created_at__gte=since).count()
    if used + adding > photos_per_day():
        raise ValidationError(_("You have uploaded the most photos allowed in a day (%(limit)s). Please try "
                                "again tomorrow.") % {"limit": photos_per_day()}, code="rate_limited")


@dataclass(frozen=True)
class Prepared:
    """An upload proved to be an image, re-encoded without metadata, with the place kept (or not)."""

    content: bytes
    mime_type: str
    extension: str
    width: int
    height: int
    latitude: float | None = None
    longitude: float | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def location(self) -> tuple[float, float] | None:
        return None if self.latitude is None or self.longitude is None else (self.latitude, self.longitude)


def _original_bytes(upload: Any, limit: int) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return content


def prepare_photo(upload: Any, *, keep_location: bool) -> Prepared:
    """Prove ``upload`` is an image and clean it; keep its place (from the original EXIF) only if asked.

    The file is proved first (type sniffed from the bytes, size limit, decoded by Pillow), so no EXIF of a file
    that is not an image is ever parsed; then the place is read from the original bytes, never the cleaned ones.
    Raises ``ValidationError`` with a message for the person.
    """
    inspected = validation.inspect_upload(upload, allowed_kinds=("image",), max_bytes=max_photo_bytes())
    location = read_location(_original_bytes(upload, max_photo_bytes())) if keep_location else None
    with Image.open(io.BytesIO(inspected.content)) as image:
        width, height = image.size
    return Prepared(content=inspected.content, mime_type=inspected.mime_type, extension=inspected.extension,
                    width=width, height=height, latitude=location[0] if location else None,
                    longitude=location[1] if location else None)


# --- storing ---------------------------------------------------------------------------------------

def _storage():
    return Photo._meta.get_field("image").storage


def _random_name(extension: str) -> str:
    return f"{FOLDER}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


def delete_files(names: Iterable[str]) -> None:
    """Remove stored files (a missing one is no error)."""
    storage = _storage()
    for name in names:
        if name:
            with contextlib.suppress(OSError, NotImplementedError):
                storage.delete(name)


def photo_files(photo: Photo) -> list[str]:
    return [name for name in (photo.image.name, photo.thumb.name, photo.medium.name) if name]


def store_photo(*, owner: Any, prepared: Prepared, album: Any = None, publication: Any = None, caption: str = "",
                position: int = 0) -> Photo:
    """Store a prepared photo and write its row in an album or on a publication (exactly one).

    Call it inside the transaction of the service that records the event (``social.photo_added``,
    ``social.publication_created``…): it writes no event itself. Checks nothing about permission or limits —
    the caller does (``ensure_daily_cap``). The smaller sizes are made by a job after commit.
    """
    if (album is None) == (publication is None):
        raise ValueError("A photo belongs to an album or to a publication, exactly one.")
    storage = _storage()
    stored = storage.save(_random_name(prepared.extension), ContentFile(prepared.content))
    try:
        with transaction.atomic():
            photo = Photo.objects.create(
                owner=owner, album=album, publication=publication, image=stored, mime_type=prepared.mime_type,
                width=prepared.width, height=prepared.height, size=prepared.size, caption=caption,
                keep_location=prepared.location is not None, latitude=prepared.latitude,
                longitude=prepared.longitude, position=position)
    except BaseException:
        delete_files([stored])
        raise
    photo_id = photo.pk
    transaction.on_commit(lambda: _enqueue_sizes([photo_id]), robust=True)
    return photo


def _enqueue_sizes(photo_ids: list[int]) -> None:
    from krai.social.tasks import make_photo_sizes  # late: the tasks module imports this one

    make_photo_sizes(photo_ids)


def delete_after_commit(names: list[str]) -> None:
    """Remove files once the deletion of their rows commits (never before: a rollback keeps them)."""
    transaction.on_commit(lambda: delete_files(names), robust=True)


# --- smaller sizes (the job) -----------------------------------------------------------------------

def _resized(content: bytes, longest: int) -> tuple[bytes, str]:
    """A copy whose longer side is at most ``longest`` px: JPEG stays JPEG, WebP WebP, the rest PNG."""
    with Image.open(io.BytesIO(content)) as image:
        image_format = image.format
        image.seek(0)
        copy = ImageOps.exif_transpose(image.copy())
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if image_format == "JPEG":
        if copy.mode not in {"RGB", "L"}:
            copy = copy.convert("RGB")
        copy.save(out, format="JPEG", quality=85, optimize=True)
        return out.getvalue(), "jpg"
    if image_format == "WEBP":
        copy.save(out, format="WEBP", quality=85)
        return out.getvalue(), "webp"
    if copy.mode not in {"RGB", "RGBA", "L", "LA"}:
        copy = copy.convert("RGBA")
    copy.save(out, format="PNG", optimize=True)
    return out.getvalue(), "png"


def make_sizes(photo_ids: Iterable[int]) -> int:
    """Make the thumbnail and the medium size of each photo still without them; returns how many were made.

    Idempotent: a photo already done (by another worker) is skipped, and a photo deleted meanwhile leaves no
    files behind. A photo whose file cannot be read is marked done without sizes, so pages show the image itself
    and the sweep does not try it forever.
    """
    made = 0
    storage = _storage()
    for photo in Photo.objects.filter(pk__in=list(photo_ids), sizes_ready_at__isnull=True):
        names = {"thumb": "", "medium": ""}
        try:
            with storage.open(photo.image.name, "rb") as handle:
                content = handle.read()
            stem = photo.image.name.rsplit(".", 1)[0]
            for size, longest in SIZES.items():
                data, extension = _resized(content, longest)
                names[size] = storage.save(f"{stem}-{size}.{extension}", ContentFile(data))
        except Exception:  # a broken or missing file must not stop the others
            log.warning("social: could not make the sizes of photo %s", photo.pk, exc_info=True)
            delete_files(names.values())
            names = {"thumb": "", "medium": ""}
        done = Photo.objects.filter(pk=photo.pk, sizes_ready_at__isnull=True).update(
            thumb=names["thumb"], medium=names["medium"], sizes_ready_at=timezone.now())
        if not done:  # deleted meanwhile, or made by another worker
            delete_files(names.values())
        elif names["thumb"]:
            made += 1
    return made


def sweep(*, older_than: timedelta = timedelta(minutes=5), batch: int = 200) -> int:
    """Make the sizes of photos a dead worker left without (older than ``older_than``); returns how many."""
    cutoff = timezone.now() - older_than
    ids = list(Photo.objects.filter(sizes_ready_at__isnull=True, created_at__lte=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:batch])
    return make_sizes(ids) if ids else 0


def sweep_orphans(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete stored photo files no photo names (left by a transaction rolled back after storing)."""
    storage = _storage()
    cutoff = timezone.now() - older_than
    removed = 0
    for folder in _folders(storage, FOLDER):
        _dirs, files = storage.listdir(folder)
        names = [f"{folder}/{file}" for file in files]
        known = set()
        for field in ("image", "thumb", "medium"):
            known |= set(Photo.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
        for name in names:
            if name in known:
                continue
            try:
                if storage.get_modified_time(name) > cutoff:
                    continue
            except (NotImplementedError, OSError):
                continue
            storage.delete(name)
            removed += 1
    return removed


def _folders(storage: Any, root: str):
    try:
        dirs, _files = storage.listdir(root)
    except (FileNotFoundError, NotImplementedError):
        return
    yield root
    for directory in dirs:
        yield from _folders(storage, f"{root}/{directory}")
