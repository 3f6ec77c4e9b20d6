"""The map helper every area shares: tiles from the settings, marker icons from the collected static files.

Leaflet finds its default marker icons by reading a CSS rule and cutting ``marker-icon.png`` off the URL; with
hashed file names (the manifest storage of a deployed installation) that cut fails and every marker is a broken
image. So the icons' URLs are resolved here, through the static storage, and handed to ``krai/map.js``.
"""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static

ICONS = {
    "icon-url": "vendor/leaflet/images/marker-icon.png",
    "icon-retina-url": "vendor/leaflet/images/marker-icon-2x.png",
    "shadow-url": "vendor/leaflet/images/marker-shadow.png",
}


def map_config() -> dict[str, str]:
    """What a map element needs, as ``data-*`` attribute names (without ``data-``) and values."""
    config = {"tile-url": settings.KRAI_MAP_TILE_URL, "tile-attribution": settings.KRAI_MAP_TILE_ATTRIBUTION}
    config.update({name: static(path) for name, path in ICONS.items()})
    return config
