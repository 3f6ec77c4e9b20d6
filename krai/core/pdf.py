"""PDF with Cyrillic: the one place that finds and registers the TrueType fonts reportlab needs.

The built-in PDF fonts have no Cyrillic, so falling back to them would print empty boxes; a missing font is a
clear error naming the Debian package. Used by every area that draws a PDF (the orders dashboard, a project's
roadmap).
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

#: where Debian (fonts-dejavu-core) and a few other systems keep DejaVu Sans
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/truetype/ttf-dejavu", "/usr/local/share/fonts", "/usr/share/fonts/truetype")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
PDF = "application/pdf"


class FontMissing(ImproperlyConfigured):
    """The TrueType font with Cyrillic that the PDF needs is not installed."""


def find_font(filename: str, dirs: tuple[str, ...] = FONT_DIRS) -> Path:
    """The path of a font file in the usual places; a clear error naming the package when it is absent."""
    for directory in dirs:
        path = Path(directory) / filename
        if path.is_file():
            return path
    raise FontMissing(f"The font {filename} (with Cyrillic, needed for PDF export) is not found in "
                      f"{', '.join(dirs)}. Install it: apt-get install fonts-dejavu-core.")


@functools.cache
def fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with reportlab once; answer their names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(find_font(f"{FONT}.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(find_font(f"{FONT_BOLD}.ttf"))))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, name)
    return FONT, FONT_BOLD
