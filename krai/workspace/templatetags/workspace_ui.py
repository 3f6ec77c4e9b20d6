"""The workspace's navigation bar, built from :mod:`krai.workspace.navigation`."""

from django import template

from krai.workspace.navigation import nav_sections

register = template.Library()


@register.inclusion_tag("workspace/_nav_items.html", takes_context=True)
def workspace_nav(context):
    request = context.get("request")
    if request is None:
        return {"items": []}
    path = request.path
    items = []
    for section, url in nav_sections(request.user):
        current = path == url if section.exact else path.startswith(url)
        items.append({"label": section.label, "url": url, "current": current})
    return {"items": items}
