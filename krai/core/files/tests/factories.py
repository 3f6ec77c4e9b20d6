"""Test helpers for the kernel's generic targets: temporary area rules and files of every kind."""

from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rules.permissions import permissions as rule_set

from krai.core.files.models import Attachment


@contextmanager
def temporary_rules(**named):
    """Register ``{"org.view_organisation": predicate, ...}`` (keys with "." given as "__") for a test."""
    saved = {}
    try:
        for key, predicate in named.items():
            name = key.replace("__", ".")
            saved[name] = rule_set.get(name)
            rule_set[name] = predicate
        yield
    finally:
        for name, previous in saved.items():
            if previous is None:
                rule_set.pop(name, None)
            else:
                rule_set[name] = previous


def image_bytes(fmt: str = "JPEG", size=(64, 48), *, gps: bool = False, mode: str = "RGB", **save) -> bytes:
    image = Image.new(mode, size, color=(200, 30, 30) if mode == "RGB" else 128)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # Make
        exif[0x0112] = 6  # Orientation: rotated 90°
        exif[0x8825] = {1: "N", 2: (45.0, 2.0, 3.0), 3: "E", 4: (38.0, 58.0, 0.0)}  # GPS IFD
        save["exif"] = exif
    image.save(out, format=fmt, **save)
    return out.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr("word/document.xml", "<w:document>Приказ</w:document>")
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00" * 100)
    return out.getvalue()


def odt_bytes(mime: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mime)  # stored, first: as ODF requires
        package.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A row without validation (for selector and permission tests); real uploads use the service."""

    class Meta:
        model = Attachment

    original_name = "doc.pdf"
    size = len(PDF)
    mime_type = "application/pdf"
    kind = "pdf"
    sha256 = "0" * 64
    file = factory.django.FileField(filename="doc.pdf", data=PDF)
