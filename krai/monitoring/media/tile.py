"""Media's tile on the monitoring overview: each figure is the count of the list it links to (same selector, same
filters)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.monitoring import tiles
from krai.monitoring.media import selectors


@tiles.register("media", order=50)
def media_tile(user) -> tiles.Tile | None:
    if not user.has_perm("media.view"):
        return None
    if not selectors.sources(user).exists() and not selectors.topics(user).exists():
        return None
    today = timezone.localdate()
    week_ago = today - dt.timedelta(days=6)
    url = reverse("monitoring:media:mentions")
    week = selectors.mentions(user, first=week_ago, last=today).count()
    alerts = selectors.alerts(user, mine=True, since=week_ago).count()
    failing = selectors.failing_sources(user).count()
    return tiles.Tile("media", _("Mass media"), url, figures=[
        tiles.Figure(_("Mentions in 7 days"), week, "", f"{url}?first={week_ago}&last={today}"),
        tiles.Figure(_("Spikes of my topics in 7 days"), alerts, "warning" if alerts else "",
                     f"{reverse('monitoring:media:alerts')}?mine=1&since={week_ago}"),
        tiles.Figure(_("Sources failing"), failing, "danger" if failing else "",
                     f"{reverse('monitoring:media:sources')}?failing=1"),
    ])
