"""The workspace's navigation bar, built from :mod:`krai.workspace.navigation`."""

from typing import Any

from django import template

from krai.workspace.navigation import nav_sections

register = template.Library()


@register.inclusion_tag("workspace/_nav_items.html", takes_context=True)
def workspace_nav(context: template.Context) -> dict[str, Any]:
    """The bar's links, and the less used sections in a "More" menu (so the bar fits a 1280 px screen)."""
    request = context.get("request")
    if request is None:
        return {"items": [], "more": []}
    path = request.path
    items, more = [], []
    for section, url in nav_sections(request.user):
        current = path == url if section.exact else path.startswith(url)
        (more if section.more else items).append({"label": section.label, "url": url, "current": current})
    return {"items": items, "more": more, "more_current": any(item["current"] for item in more)}
