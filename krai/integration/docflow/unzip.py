"""A package may come as its XML or as a ZIP holding it (with attachments beside it): the XML's bytes either way.

The ZIP is checked for bombs first (``krai.core.zipsafe``: declared sizes and ratios, nothing inflated before);
the XML taken is the only ``.xml`` member, or the one named ``passport.xml``/``communication.xml``/``document.xml``
when there are several.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from krai.core.zipsafe import PackageTooLarge, check_package
from krai.integration.docflow.medo import PackageInvalid, Problem, max_bytes

PREFERRED = ("passport.xml", "communication.xml", "document.xml")


def is_zip(name: str, content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04" or name.lower().endswith(".zip")


def xml_of(name: str, content: bytes) -> bytes:
    """The package's XML: ``content`` itself, or the XML member of a ZIP; ``PackageInvalid`` otherwise."""
    if not is_zip(name, content):
        return content
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_package(archive, limit=max_bytes())
            members = [info for info in archive.infolist()
                       if not info.is_dir() and PurePosixPath(info.filename).suffix.lower() == ".xml"]
            if len(members) > 1:
                members = [m for m in members if PurePosixPath(m.filename).name.lower() in PREFERRED][:1] or members
            if len(members) != 1:
                raise PackageInvalid([Problem(None, "", _("The ZIP must hold exactly one XML package (or one named "
                                                          "passport.xml); it holds %(n)s.") % {"n": len(members)})])
            if members[0].file_size > max_bytes():
                raise PackageInvalid([Problem(None, "", _("The package is larger than the limit of %(n)s bytes.")
                                              % {"n": max_bytes()})])
            return archive.read(members[0])
    except PackageTooLarge as exc:
        raise PackageInvalid([Problem(None, "", str(exc))]) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, NotImplementedError):
        raise PackageInvalid([Problem(None, "", _("The ZIP file cannot be read."))]) from None
