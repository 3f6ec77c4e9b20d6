"""Where a photo was taken, read from the GPS tags of its original file's EXIF (``photos.prepare_photo`` asks only
when the author chose to keep the place; the stored file never carries EXIF)."""

from __future__ import annotations

import io
import math
from typing import Any

from PIL import Image

_GPS_IFD = 0x8825


def _degrees(value: Any) -> float | None:
    """Degrees, minutes, seconds (rationals) as one float; ``None`` for anything malformed."""
    try:
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not 1 <= len(parts) <= 3 or not all(math.isfinite(p) and p >= 0 for p in parts):
        return None
    parts += [0.0] * (3 - len(parts))
    if parts[1] >= 60 or parts[2] >= 60:
        return None
    return parts[0] + parts[1] / 60 + parts[2] / 3600


def _ref(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip("\x00 ").upper()[:1]


def read_location(content: bytes) -> tuple[float, float] | None:
    """The place a photo was taken from its EXIF GPS tags (south and west negative), or ``None``.

    Missing, malformed or out-of-range values give ``None``; so does exactly 0, 0 (what cameras write with no fix).
    """
    try:
        with Image.open(io.BytesIO(content)) as image:
            gps = image.getexif().get_ifd(_GPS_IFD)
    except Exception:  # any junk in the original means "no place", the image is proved later
        return None
    if not gps:
        return None
    lat, lon = _degrees(gps.get(2)), _degrees(gps.get(4))
    lat_ref, lon_ref = _ref(gps.get(1)), _ref(gps.get(3))
    if lat is None or lon is None or lat_ref not in {"N", "S"} or lon_ref not in {"E", "W"}:
        return None
    lat, lon = (-lat if lat_ref == "S" else lat), (-lon if lon_ref == "W" else lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return round(lat, 6), round(lon, 6)
