"""The daily digest: one notification per follower summarising the day's publications, none for who turned the
kind off, none twice a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from krai.core.notifications.models import Notification
from krai.core.notifications.services import set_preference
from krai.org.tests.factories import UserFactory
from krai.social.models import Follow, Publication
from krai.social.services import digest as services

pytestmark = pytest.mark.django_db


def test_one_notification_per_follower_per_day():
    a, b = UserFactory(), UserFactory()
    fan, quiet, muted, lonely = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for follower in (fan, muted):
        Follow.objects.create(follower=follower, followee=a)
        Follow.objects.create(follower=follower, followee=b)
    Follow.objects.create(follower=quiet, followee=b)
    Follow.objects.create(follower=lonely, followee=UserFactory())  # follows someone silent
    set_preference(user=muted, channel="in_app", kind="social.new_publications", enabled=False)
    set_preference(user=muted, channel="email", kind="social", enabled=False)
    now = timezone.now()
    for author, n in ((a, 3), (b, 2)):
        for i in range(n):
            Publication.objects.create(author=author, body=f"{author.pk}-{i}", created_at=now - timedelta(hours=i + 1))
    Publication.objects.create(author=a, body="old", created_at=now - timedelta(days=2))
    Publication.objects.create(author=b, body="hidden", created_at=now - timedelta(hours=1), hidden_at=now)
    with override("en"):
        sent = services.publications_digest_send(now=now)
    assert sent == 1 + 1  # the fan and the quiet one; muted turned it off, lonely has nothing new
    notes = {n.user_id: n for n in Notification.objects.filter(kind="social.new_publications")}
    assert set(notes) == {fan.pk, quiet.pk}
    assert notes[fan.pk].title.startswith("5 new publications")
    assert notes[quiet.pk].title.startswith("2 new publications")
    # run again the same day: nothing new is sent
    assert services.publications_digest_send(now=now + timedelta(hours=2)) == 0
    # next day: only what came since the last digest counts
    Publication.objects.create(author=a, body="fresh", created_at=now + timedelta(hours=5))
    with override("en"):
        assert services.publications_digest_send(now=now + timedelta(days=1)) == 1
    latest = Notification.objects.filter(user=fan, kind="social.new_publications").order_by("-created_at").first()
    assert latest.title.startswith("1 new publication ")
