"""The profile page's "Albums" section: the person's newest albums the viewer may see (imported at start-up)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from krai.social.sections import register_section
from krai.social.selectors import galleries as selectors


def _context(viewer: Any, profile: Any) -> dict[str, Any] | None:
    albums = selectors.latest_albums(viewer, profile.user_id, limit=6)
    return {"albums": albums} if albums else None


register_section("albums", pgettext_lazy("social galleries", "Albums"), "social/galleries/_section.html", _context,
                 order=30)
