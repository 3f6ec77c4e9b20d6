"""Refuse a ZIP bomb (an XLSX, a DOCX — any ZIP package) before anything inflates it.

A 0.5 MB XLSX can hold a sheet that unpacks to 500 MB of repeated bytes; openpyxl would read all of it.
``check_package`` looks only at the central directory: the total unpacked size against a limit, and the
ratio of each big member. The sizes are the ones the package declares, and Python's ``zipfile`` (which
openpyxl uses) never inflates a member past its declared size — a package that lies ends in a CRC error —
so the declared sizes bound the work.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

INFLATION = 20  # a package may unpack to 20 times the upload limit (real sheets compress 5-15 times)
MAX_RATIO = 100  # a member unpacking more than 100-fold is a bomb, not a document (deflate tops out near 1000)
RATIO_FROM = 1024 * 1024  # smaller members (styles, a short sheet) may compress better: the total bounds them


class PackageTooLarge(ValueError):
    """The package would unpack to too much; the message says what to do, in the user's language."""


def max_inflated_bytes() -> int:
    """``KRAI_UPLOAD_MAX_INFLATED_BYTES`` if set, else ``INFLATION`` × ``KRAI_UPLOAD_MAX_BYTES``."""
    explicit = getattr(settings, "KRAI_UPLOAD_MAX_INFLATED_BYTES", 0)
    return int(explicit or INFLATION * int(getattr(settings, "KRAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)))


def check_package(package: zipfile.ZipFile, *, limit: int | None = None) -> None:
    limit = max_inflated_bytes() if limit is None else limit
    total = 0
    for info in package.infolist():
        total += info.file_size
        ratio = info.file_size // max(1, info.compress_size)
        if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise PackageTooLarge(_("The part %(name)s of the file unpacks to %(ratio)s times its size: this is not "
                                    "a document of data. Save it again, or upload it as CSV.")
                                  % {"name": info.filename, "ratio": ratio})
        if total > limit:
            raise PackageTooLarge(_("The file unpacks to more than %(limit)s. Split it, or upload it as CSV.")
                                  % {"limit": filesizeformat(limit)})
