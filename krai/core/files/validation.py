"""What an upload really is: its type sniffed from its bytes, proved by decoding, and made safe to store.

Nothing here trusts the file's name or the content type the client sent. ``inspect_upload`` reads the
upload (up to the size limit), sniffs its type with ``filetype``, checks it against the allowed kinds and
proves it: images are decoded by Pillow (decompression bombs refused by ``Image.MAX_IMAGE_PIXELS``) and
re-encoded without their metadata (EXIF with GPS, XMP, comments, text chunks); office files must be
well-formed ZIP packages of the expected kind, without macros, that do not inflate beyond a bound; text
must decode as UTF-8 or Windows-1251 and hold no binary control characters. It raises ``ValidationError``
with a message for the person, and touches neither the storage nor the database.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 200
MAX_FRAMES = 300
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_RATIO = 100  # an office package may inflate to at most this many times its size …
MAX_ZIP_INFLATED = 512 * 1024 * 1024  # … and never beyond this

IMAGE_TYPES = {"image/jpeg": ("jpg", "JPEG"), "image/png": ("png", "PNG"), "image/webp": ("webp", "WEBP"),
               "image/gif": ("gif", "GIF")}
OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
#: kind → {MIME type: extension}; the kinds a caller may allow.
KINDS: dict[str, dict[str, str]] = {
    "image": {mime: ext for mime, (ext, _format) in IMAGE_TYPES.items()},
    "pdf": {"application/pdf": "pdf"},
    "office": OFFICE_TYPES,
    "text": {"text/plain": "txt", "text/csv": "csv"},
}
DEFAULT_KINDS = ("image", "pdf", "office", "text")
_KIND_NAMES = {"image": "JPEG, PNG, WebP, GIF", "pdf": "PDF", "office": "DOCX, XLSX, ODT, ODS",
               "text": "TXT, CSV"}
_ALLOWED_CONTROL = {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class Inspected:
    """An upload proved to be what it is, with the exact bytes to store."""

    content: bytes
    kind: str
    mime_type: str
    extension: str
    charset: str  # text only: "utf-8" or "windows-1251"
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def max_upload_bytes(limit: int | None = None) -> int:
    """The size limit in force: the installation's, or a caller's smaller one."""
    configured = int(getattr(settings, "KRAI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES) or DEFAULT_MAX_BYTES)
    return min(configured, limit) if limit else configured


def clean_name(name: str, extension: str) -> str:
    """The name the person gave, without folders or control characters, and with the real extension."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if ext.lower() not in {extension, "jpeg" if extension == "jpg" else extension}:
        stem, ext = name, extension  # a wrong or missing extension: keep it in the stem, add the real one
    stem = stem[: MAX_NAME_LENGTH - len(ext) - 1].strip() or _("file")
    return f"{stem}.{ext}"


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks, total = [], 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        total += len(chunk)
        if total > limit:
            raise _too_big(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(limit: int) -> ValidationError:
    return ValidationError(_("The file is too large: at most %(limit)s is accepted.")
                           % {"limit": filesizeformat(limit)}, code="too_large")


def _not_allowed(allowed: Iterable[str]) -> ValidationError:
    kinds = ", ".join(_KIND_NAMES[kind] for kind in allowed)
    return ValidationError(_("This kind of file is not accepted here. Accepted: %(kinds)s.") % {"kinds": kinds},
                           code="file_type")


def inspect_upload(upload, *, allowed_kinds: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None,
                   name: str | None = None) -> Inspected:
    """Prove ``upload`` (a Django ``File``) is an accepted file; return the bytes to store, or raise."""
    allowed = tuple(allowed_kinds)
    unknown = set(allowed) - set(KINDS)
    if not allowed or unknown:
        raise ValueError(f"Unknown kinds of file: {sorted(unknown) or 'none given'}")
    limit = max_upload_bytes(max_bytes)
    content = _read(upload, limit)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    original = name if name is not None else getattr(upload, "name", "") or ""
    guess = filetype.guess(content)
    if guess is None:
        if "text" not in allowed:
            raise _not_allowed(allowed)
        return _inspect_text(content, original)
    mime = guess.mime
    kind = next((kind for kind in allowed if mime in KINDS[kind]), None)
    if kind is None:
        raise _not_allowed(allowed)
    extension = KINDS[kind][mime]
    charset = ""
    if kind == "image":
        content = _clean_image(content, IMAGE_TYPES[mime][1])
    elif kind == "office":
        _check_package(content, mime)
    elif kind == "pdf":
        _check_pdf(content)
    return Inspected(content=content, kind=kind, mime_type=mime, extension=extension, charset=charset,
                     original_name=clean_name(original, extension))


def _inspect_text(content: bytes, original: str) -> Inspected:
    if b"\x00" in content:
        raise ValidationError(_("The file is not a text file and its type is not recognised."), code="file_type")
    body = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    for charset, codec in (("utf-8", "utf-8"), ("windows-1251", "cp1251")):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in text):
            break
        is_csv = os.path.splitext(str(original))[1].lower() == ".csv"
        mime, extension = ("text/csv", "csv") if is_csv else ("text/plain", "txt")
        return Inspected(content=content, kind="text", mime_type=mime, extension=extension, charset=charset,
                         original_name=clean_name(original, extension))
    raise ValidationError(_("A text file must be in UTF-8 or Windows-1251 and hold only text."), code="encoding")


def _image_limit() -> int:
    limit = getattr(settings, "KRAI_UPLOAD_MAX_IMAGE_PIXELS", None) or Image.MAX_IMAGE_PIXELS
    return int(limit) if limit else 0


def _clean_image(content: bytes, expected_format: str) -> bytes:
    """Decode the whole image (proving it is one) and encode it again without any metadata."""
    broken = ValidationError(_("The image is damaged or is not really an image."), code="invalid_image")
    bomb = ValidationError(_("The image is too large in pixels to be processed."), code="image_too_large")
    limit = _image_limit()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format != expected_format:
                raise broken
            frames = getattr(image, "n_frames", 1)
            if limit and (image.width * image.height > limit or image.width * image.height * frames > 4 * limit):
                raise bomb
            if frames > MAX_FRAMES:
                raise bomb
            return _reencode(image, expected_format)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, IndexError, TypeError, KeyError,
            zipfile.BadZipFile):
        raise broken from None


def _reencode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    keep = {"transparency", "duration", "loop", "background", "disposal", "icc_profile"}
    animated = getattr(image, "is_animated", False) and image_format in {"GIF", "WEBP"}
    if animated:
        frames = []
        durations = []
        for frame in ImageSequence.Iterator(image):
            frame.load()
            durations.append(frame.info.get("duration", 100))
            frames.append(frame.convert("RGBA"))
        first = frames[0]
        first.info = {}
        first.save(out, format=image_format, save_all=True, append_images=frames[1:], duration=durations,
                   loop=image.info.get("loop", 0))
        return out.getvalue()
    image.load()
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)  # the picture's right way up, before its EXIF goes
    image.info = {key: value for key, value in image.info.items() if key in keep and key != "icc_profile"}
    options: dict = {"icc_profile": icc} if icc else {}
    if image_format == "JPEG":
        if image.mode not in {"RGB", "L", "CMYK"}:
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, exif=b"", **options)
    elif image_format == "WEBP":
        image.save(out, format="WEBP", quality=90, exif=b"", xmp=b"", **options)
    elif image_format == "PNG":
        image.save(out, format="PNG", optimize=False, **options)
    else:
        image.save(out, format=image_format, **options)
    return out.getvalue()


def _check_package(content: bytes, mime: str) -> None:
    broken = ValidationError(_("The document is damaged or is not really a document of its kind."),
                             code="invalid_document")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            entries = package.infolist()
            names = {entry.filename for entry in entries}
            inflated = sum(entry.file_size for entry in entries)
            if mime in {"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet"}:
                if package.read("mimetype").decode("ascii", "replace").strip() != mime:
                    raise broken
            elif "[Content_Types].xml" not in names:
                raise broken
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        raise broken from None
    if len(entries) > MAX_ZIP_ENTRIES or inflated > min(MAX_ZIP_INFLATED, MAX_ZIP_RATIO * len(content) + 1_000_000):
        raise ValidationError(_("The document unpacks to too much data to be accepted."), code="zip_bomb")
    lowered = {name.lower() for name in names}
    if any(name.endswith("vbaproject.bin") or name.startswith("basic/") for name in lowered):
        raise ValidationError(_("Documents with macros are not accepted."), code="macros")


def _check_pdf(content: bytes) -> None:
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise ValidationError(_("The PDF file is damaged or incomplete."), code="invalid_document")
