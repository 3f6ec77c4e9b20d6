"""The daily digest of new publications: each follower told, at most once a day, how many publications the people
he follows made (a job, ``krai/social/tasks_content.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from krai.core.events.services import record_event
from krai.social.models import Follow, Publication

__all__ = ["publications_digest_send"]

DIGEST_KIND = "social.new_publications"


@transaction.atomic
def publications_digest_send(*, now: datetime | None = None) -> int:
    """Tell each follower, at most once a day, how many publications the people he follows made since his last
    digest (at most a day back). One in-app notification per follower; those who turned the kind off get none
    (``notify`` honours the preferences). Returns how many were notified."""
    from krai.core.notifications.models import Notification
    from krai.core.notifications.services import notify
    from krai.org.models import User

    now = now or timezone.now()
    day_ago = now - timedelta(days=1)
    # the bookkeeping is the notifications themselves: a follower's last digest is his last notification of the kind
    last = dict(Notification.objects.filter(kind=DIGEST_KIND, created_at__gt=now - timedelta(days=2))
                .values("user_id").annotate(at=Max("created_at")).values_list("user_id", "at"))
    counts = dict(
        Follow.objects.filter(followee__isnull=False, followee__publications__created_at__gt=day_ago,
                              followee__publications__created_at__lte=now,
                              followee__publications__hidden_at__isnull=True)
        .values("follower_id").annotate(n=Count("followee__publications")).values_list("follower_id", "n"))
    event = record_event(kind="social.publications_digest_sent", payload={"candidates": len(counts)})
    sent = 0
    users = {u.pk: u for u in User.objects.filter(pk__in=counts, is_active=True)}
    for follower_id, count in counts.items():
        since = last.get(follower_id)
        if since is not None and since > now - timedelta(hours=20):
            continue  # told today already
        if since is not None and since > day_ago:
            count = Publication.objects.filter(
                author__social_followers__follower_id=follower_id, hidden_at__isnull=True,
                created_at__gt=since, created_at__lte=now).count()
        user = users.get(follower_id)
        if user is None or not count:
            continue
        title = ngettext("%(count)s new publication from people you follow",
                         "%(count)s new publications from people you follow", count) % {"count": count}
        sent += len(notify(users=[user], kind=DIGEST_KIND, title=title, url=reverse("social:home"), event=event))
    return sent
