"""Template helpers for the layout: links that exist only when their page does, message levels, faces.

Areas are built in parallel and some land later than the layout, so the navigation asks for a URL by
name and renders the link only when the name resolves, instead of failing the whole page.
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

#: Django's message levels → Bootstrap's alert colours ("error" is "danger" there).
_ALERT_CLASSES = {"debug": "secondary", "info": "info", "success": "success", "warning": "warning",
                  "error": "danger"}


def resolve_first(*names: str) -> str:
    """The URL of the first name that resolves (without arguments), or "" when none does."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@register.simple_tag
def optional_url(name: str, *args, **kwargs) -> str:
    """``{% optional_url "accounts:register" as url %}``: the URL, or "" if that page does not exist."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@register.simple_tag
def first_url(*names: str) -> str:
    """``{% first_url "orders:list" "orders:index" as url %}``: the first of several names that resolves."""
    return resolve_first(*names)


@register.filter
def alert_class(message) -> str:
    """The Bootstrap alert colour for a ``django.contrib.messages`` message."""
    level = getattr(message, "level_tag", "") or "info"
    return _ALERT_CLASSES.get(level, "info")


@register.simple_tag(takes_context=True)
def krai_face(context) -> str:
    """Which face a page belongs to: "workspace" under the workspace's URL for those who may open it,
    otherwise "portal" (a resident refused there sees the portal's navigation, not the staff's)."""
    request = context.get("request")
    prefix = resolve_first("workspace:home")
    if request is None or not prefix or not request.path.startswith(prefix):
        return "portal"
    user = getattr(request, "user", None)
    return "workspace" if user is not None and user.has_perm("workspace.access") else "portal"


@register.filter
def is_under(path: str, url: str) -> bool:
    """Whether ``path`` is the page ``url`` or inside its section ("/" matches only itself)."""
    if not url:
        return False
    if url == "/":
        return path == "/"
    return str(path).startswith(url)


@register.simple_tag(takes_context=True)
def account_links(context) -> list:
    """The links areas add to the account menu (``krai.core.account_menu``), with their counts."""
    from krai.core.account_menu import links_for

    request = context.get("request")
    return links_for(getattr(request, "user", None) or context.get("user"))


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many unread in-app notifications the signed-in user has (0 for visitors)."""
    from krai.core.notifications import selectors as notifications

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return notifications.unread_count(user=user)
