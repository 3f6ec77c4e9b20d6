"""The portal's navigation bar, built from :mod:`krai.portal.navigation`."""

from django import template

from krai.portal.navigation import nav_sections

register = template.Library()


def _is_current(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


@register.inclusion_tag("portal/_nav_items.html", takes_context=True)
def portal_nav(context):
    request = context.get("request")
    path = request.path if request is not None else ""
    return {"items": [{"label": section.label, "url": url, "current": _is_current(path, url)}
                      for section, url in nav_sections()]}
