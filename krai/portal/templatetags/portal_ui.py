"""The portal's navigation bar, built from :mod:`krai.portal.navigation`."""

from django import template

from krai.portal.navigation import GROUP_LABELS, nav_sections

register = template.Library()


def _is_current(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


@register.inclusion_tag("portal/_nav_items.html", takes_context=True)
def portal_nav(context):
    """Items of the bar in order; sections of one group become one drop-down where the first of them stands."""
    request = context.get("request")
    path = request.path if request is not None else ""
    items: list[dict] = []
    groups: dict[str, dict] = {}
    for section, url in nav_sections():
        entry = {"label": section.label, "url": url, "current": _is_current(path, url)}
        if not section.group:
            items.append(entry)
            continue
        group = groups.get(section.group)
        if group is None:
            group = groups[section.group] = {"label": GROUP_LABELS.get(section.group, section.group),
                                             "key": section.group, "children": [], "current": False}
            items.append(group)
        group["children"].append(entry)
        group["current"] = group["current"] or entry["current"]
    return {"items": items}
