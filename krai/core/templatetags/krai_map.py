"""Map tags: ``{% map_attrs %}`` on a map element, ``{% map_css %}`` in the head, ``{% map_js %}`` before the
area's own map script (``{% map_js cluster=True %}`` adds leaflet.markercluster)."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from krai.core.maps import map_config

register = template.Library()


@register.simple_tag
def map_attrs() -> SafeString:
    return format_html_join(" ", 'data-{}="{}"', map_config().items())


@register.simple_tag
def map_css(cluster: bool = False) -> SafeString:
    files = ["vendor/leaflet/leaflet.css"]
    if cluster:
        files += ["vendor/leaflet.markercluster/MarkerCluster.css",
                  "vendor/leaflet.markercluster/MarkerCluster.Default.css"]
    return format_html_join("", '<link rel="stylesheet" href="{}">', ((static(f),) for f in files))


@register.simple_tag
def map_js(cluster: bool = False) -> SafeString:
    files = ["vendor/leaflet/leaflet.js"]
    if cluster:
        files.append("vendor/leaflet.markercluster/leaflet.markercluster.js")
    files.append("krai/map.js")
    return format_html_join("", '<script src="{}"></script>', ((static(f),) for f in files))
