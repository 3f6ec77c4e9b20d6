"""The discussion's end: an initiative short of its support threshold when the discussion's date passed stops, the
reason naming the numbers, and its initiator is told why; one that reached it moved on to the draft already."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.lawmaking.models import Stage
from krai.lawmaking.services import discussion, subscriptions
from krai.lawmaking.tasks_discussion import end_discussions
from krai.lawmaking.tests.factories import initiative
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_threshold_missed_stops_with_the_reason_and_tells_the_initiator() -> None:
    ended = timezone.localdate() - timedelta(days=1)
    item = initiative(support_threshold=100, stage_due=ended)
    item.support_count = 12
    item.save(update_fields=["support_count"])
    running = initiative(support_threshold=100, stage_due=timezone.localdate())  # its last day: still open
    follower = UserFactory()
    subscriptions.subscribe(actor=follower, initiative=item)
    assert discussion.discussions_end_due() == 1
    item.refresh_from_db()
    reason = f"12 of 100 by {ended.strftime('%d.%m.%Y')}"
    assert item.stage == Stage.STOPPED and item.stopped_stage == Stage.DISCUSSION
    assert reason in item.stopped_reason or "12 из 100" in item.stopped_reason
    assert item.stage_entries.order_by("-id").first().note == item.stopped_reason
    running.refresh_from_db()
    assert running.stage == Stage.DISCUSSION
    ended_event = Event.objects.get(kind="lawmaking.discussion_ended")
    assert ended_event.payload["supporters"] == 12 and ended_event.payload["threshold"] == 100
    deliver_pending()
    told = Notification.objects.get(kind="lawmaking.discussion_ended")
    assert told.user_id == item.initiator_id and told.body == item.stopped_reason
    # the stop itself: subscribers hear of it, the initiator only once (above)
    assert list(Notification.objects.filter(kind="lawmaking.stage_changed").values_list("user_id", flat=True)) \
        == [follower.pk]
    # idempotent: the next hour finds nothing
    end_discussions.call_local()
    assert Event.objects.filter(kind="lawmaking.discussion_ended").count() == 1


def test_the_reason_in_english_names_the_numbers(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    item = initiative(support_threshold=100, stage_due=date(2027, 1, 5))
    item.support_count = 12
    item.save(update_fields=["support_count"])
    discussion.discussions_end_due(today=date(2027, 1, 6))
    item.refresh_from_db()
    assert item.stopped_reason == "Support threshold not reached: 12 of 100 by 05.01.2027"


def test_threshold_reached_moves_to_elaboration_with_version_1_and_the_job_leaves_it() -> None:
    item = initiative(support_threshold=2, stage_due=timezone.localdate())
    for _ in range(2):
        discussion.support_add(actor=UserFactory(), initiative=item)
    item.refresh_from_db()
    assert item.stage == Stage.ELABORATION
    version = item.versions.get()
    assert version.number == 1 and version.text
    assert discussion.discussions_end_due(today=timezone.localdate() + timedelta(days=5)) == 0
    item.refresh_from_db()
    assert item.stage == Stage.ELABORATION


def test_an_initiative_without_a_threshold_waits_for_the_staff() -> None:
    item = initiative(support_threshold=0, stage_due=timezone.localdate() - timedelta(days=3))
    assert discussion.discussions_end_due() == 0
    item.refresh_from_db()
    assert item.stage == Stage.DISCUSSION
