"""Cards: a link to one of Krai's objects (a problem, a dataset, an idea, a draft, a project) shown as a small
card with its kind, title and state — for the one who reads it.

Areas register a loader per URL name (``register_card("problems:detail", loader)``) from their ``subscribers``
module; ``loader(user, **url_kwargs)`` returns a ``Card`` or ``None`` when the object is missing or the reader may
not see it (the card then does not show: a link never reveals what its reader may not see). ``links_in(text)``
finds the links to Krai's own pages in a text; ``card_for(path, user)`` renders one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.functional import Promise


@dataclass(frozen=True)
class Card:
    """What a card shows: the object's kind, title, where it leads, and a line of state."""

    kind: str | Promise
    title: str
    url: str
    status: str | Promise = ""
    summary: str = ""


Loader = Callable[..., Card | None]
_loaders: dict[str, Loader] = {}

#: a URL in a text: absolute (http/https) or a site path that starts with a slash after a space or a bracket
_URL = re.compile(r"(?:https?://[^\s<>\"')\]]+|(?<![\w/.])/[a-z][\w\-./%]*)", re.IGNORECASE)
MAX_LINKS = 5


def register_card(url_name: str, loader: Loader) -> Loader:
    """Make links to the page named ``url_name`` ("app:name") render as cards through ``loader``."""
    _loaders[url_name] = loader
    return loader


def registered() -> list[str]:
    return sorted(_loaders)


def _own_hosts() -> set[str]:
    hosts = {h.lstrip(".").lower() for h in getattr(settings, "ALLOWED_HOSTS", []) if h and h != "*"}
    public = getattr(settings, "KRAI_SITE_URL", "") or ""
    if public:
        hosts.add((urlsplit(public).hostname or "").lower())
    return hosts - {""}


def _path_of(url: str) -> str | None:
    """The site path of ``url`` if it points to this installation, else ``None``."""
    parts = urlsplit(url.rstrip(".,;:!?"))
    if parts.scheme and (parts.hostname or "").lower() not in _own_hosts():
        return None
    path = parts.path or "/"
    return path if path.startswith("/") else None


def _resolved(path: str) -> tuple[str, dict[str, Any]] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    return (name, match.kwargs) if name in _loaders else None


def links_in(text: str) -> list[str]:
    """The paths of Krai's pages with a card that ``text`` links to, first ones first, without repeats."""
    found: list[str] = []
    for raw in _URL.findall(text or ""):
        path = _path_of(raw)
        if path and path not in found and _resolved(path) is not None:
            found.append(path)
        if len(found) >= MAX_LINKS:
            break
    return found


def card_for(path: str, user: Any) -> Card | None:
    """The card of the object at ``path`` as ``user`` may see it, or ``None``."""
    resolved = _resolved(path)
    if resolved is None:
        return None
    name, kwargs = resolved
    try:
        return _loaders[name](user, **kwargs)
    except (Http404, ObjectDoesNotExist, PermissionDenied, LookupError, ValueError):
        return None
