"""Links an area adds to the account menu of both faces (e.g. the community's messages with their unread count).

``register_account_link(key, label, url_name, count=None, order=100)`` from an app's ``subscribers`` module; the
menu (``core/_account_menu.html``) shows each link whose URL resolves, with ``count(user)`` as a badge when it is
above zero — so the kernel's template never names an area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class AccountLink:
    key: str
    label: str | Promise
    url_name: str
    count: Callable[[Any], int] | None = None
    order: int = 100


@dataclass(frozen=True)
class ShownLink:
    key: str
    label: str | Promise
    url: str
    count: int


_links: dict[str, AccountLink] = {}


def register_account_link(key: str, label: str | Promise, url_name: str, *, count: Callable[[Any], int] | None = None,
                          order: int = 100) -> AccountLink:
    link = AccountLink(key=key, label=label, url_name=url_name, count=count, order=order)
    _links[key] = link
    return link


def links_for(user: Any) -> list[ShownLink]:
    """The registered links ``user`` gets (signed in only), in order, with their counts."""
    if user is None or not user.is_authenticated:
        return []
    shown = []
    for link in sorted(_links.values(), key=lambda item: (item.order, item.key)):
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        shown.append(ShownLink(link.key, link.label, url, int(link.count(user)) if link.count else 0))
    return shown
