"""The private iCalendar feed as a calendar program meets it: read with ``icalendar`` and expanded with
``recurring_ical_events``, it shows the same occurrences as the planner's own expansion; it answers anonymous
clients, honours conditional GETs, and answers 404 alike to an unknown, revoked or orphaned address."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from krai.core.agenda import AgendaItem
from krai.core.agenda import agenda_items as real_agenda_items
from krai.org.tests.factories import StaffFactory
from krai.planner import ical, recurrence
from krai.planner.models import Entry, FeedToken
from krai.planner.services import feed as services
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 10) -> datetime:
    """A local moment ``days`` from today at ``hour``."""
    today = ical.local(timezone.now()).date()
    return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=ical.local_zone())


def feed_url(token: str) -> str:
    return reverse("planner:feed_ics", kwargs={"token": token})


@pytest.fixture(autouse=True)
def _no_areas(monkeypatch):
    """The areas' agenda is stubbed, so that what the feed holds does not hang on their data: what the areas put in
    the feed is checked with items of its own below, and the real providers once at the end."""
    monkeypatch.setattr(services, "agenda_items", lambda user, start, end: [])


@pytest.fixture
def owner():
    return StaffFactory()


@pytest.fixture
def token(owner) -> str:
    return services.feed_create(actor=owner).token


@pytest.fixture
def entries(owner) -> dict[str, Entry]:
    weekly_start = at(-10)
    weekly = EntryFactory(owner=owner, title="Планёрка", starts_at=weekly_start, ends_at=weekly_start + timedelta(
        minutes=30), rrule="FREQ=WEEKLY;COUNT=20", sequence=3,
        exdates=[(weekly_start + timedelta(weeks=2)).isoformat()])
    trip = EntryFactory(owner=owner, title="Командировка", kind=Entry.Kind.TRIP, all_day=True,
                        starts_at=at(5, 0), ends_at=at(6, 0))
    duty = EntryFactory(owner=owner, title="Дежурство", kind=Entry.Kind.EVENT, all_day=True, starts_at=at(-3, 0),
                        ends_at=None, rrule=f"FREQ=DAILY;UNTIL={at(12, 0).date():%Y%m%d}",
                        exdates=[at(1, 0).date().isoformat()])
    task = EntryFactory(owner=owner, title="Отчёт", kind=Entry.Kind.TASK, starts_at=at(-1, 18), ends_at=None,
                        done_at=at(-1, 17))
    old = EntryFactory(owner=owner, title="Давно", starts_at=at(-60))
    far = EntryFactory(owner=owner, title="Нескоро", starts_at=at(400))
    ended = EntryFactory(owner=owner, title="Кончилось", starts_at=at(-90), rrule="FREQ=DAILY;COUNT=3")
    foreign = EntryFactory(title="Чужое", starts_at=at(2))
    return {"weekly": weekly, "trip": trip, "duty": duty, "task": task, "old": old, "far": far, "ended": ended,
            "foreign": foreign}


def read(response) -> Calendar:
    assert response.status_code == 200, response.content[:300]
    return Calendar.from_ical(response.content)


def by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def moment(value: date | datetime) -> date | datetime:
    """An occurrence's start, comparable whatever its zone: a date, or the UTC moment."""
    return value if not isinstance(value, datetime) else value.astimezone(ical.local_zone())


def test_anonymous_client_reads_the_owners_entries_only(client, token, entries):
    response = client.get(feed_url(token))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = read(response)
    uids = set(by_uid(calendar))
    for name in ("weekly", "trip", "duty", "task"):
        assert entries[name].uid in uids, name
    for name in ("old", "far", "ended", "foreign"):
        assert entries[name].uid not in uids, name
    assert "Krai" in str(calendar["X-WR-CALNAME"])
    assert calendar["REFRESH-INTERVAL"].dt == ical.REFRESH
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert "TZID:Europe/Moscow" in response.content.decode()


def test_entries_keep_uid_sequence_stamps_and_whole_days(client, token, entries):
    events = by_uid(read(client.get(feed_url(token))))
    weekly = events[entries["weekly"].uid]
    assert weekly["SEQUENCE"] == 3
    assert weekly["DTSTAMP"].dt == entries["weekly"].updated_at.replace(microsecond=0)
    assert weekly["LAST-MODIFIED"].dt == entries["weekly"].updated_at.replace(microsecond=0)
    assert weekly.start == at(-10) and str(weekly["DTSTART"].params["TZID"]) == "Europe/Moscow"
    assert weekly["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=20"
    trip = events[entries["trip"].uid]
    # a trip over two days, both included in the planner: the file's DTEND is the day after, excluded
    assert trip.start == at(5).date() and trip.end == at(7).date()
    assert trip["DTSTART"].params.get("VALUE") == "DATE"
    task = events[entries["task"].uid]
    assert str(task["SUMMARY"]) == "✓ Отчёт" and str(task[ical.X_KIND]) == "task"


def test_occurrences_read_by_a_calendar_equal_the_planners_own(client, token, entries):
    calendar = read(client.get(feed_url(token)))
    start, end = services.window(timezone.now())
    theirs: dict[str, list] = {}
    for event in recurring_ical_events.of(calendar).between(start, end):
        theirs.setdefault(str(event["UID"]), []).append(moment(event.start))
    for name in ("weekly", "duty", "trip", "task"):
        entry = entries[name]
        ours = [occurrence.start.date() if entry.all_day else occurrence.start
                for occurrence in recurrence.occurrences(entry, start, end)]
        assert sorted(theirs[entry.uid]) == ours, name
    # the left-out occurrences are really left out of what the calendar shows
    assert at(4) not in theirs[entries["weekly"].uid]
    assert at(1).date() not in theirs[entries["duty"].uid]
    assert len(theirs[entries["weekly"].uid]) == 19


def test_agenda_items_come_read_only_with_a_link_and_their_area(client, token, owner, monkeypatch):
    seen = {}

    def fake_items(user, start, end):
        seen["user"] = user
        return [AgendaItem(key="orders:deadline:17", area="orders", kind="deadline", title="Срок поручения 17",
                           start=at(3).date(), url="/workspace/orders/17/", status="в работе"),
                AgendaItem(key="lawmaking:hearing:4", area="lawmaking", kind="hearing", title="Слушания",
                           start=at(8, 15), end=at(8, 17), url="/workspace/lawmaking/4/")]

    monkeypatch.setattr(services, "agenda_items", fake_items)
    events = by_uid(read(client.get(feed_url(token))))
    assert seen["user"] == owner
    deadline = events["orders:deadline:17@krai"]
    assert str(deadline["URL"]) == "http://testserver/workspace/orders/17/"
    assert deadline["CATEGORIES"].cats == ["orders"]
    assert deadline.start == at(3).date() and deadline.end == at(4).date()
    hearing = events["lawmaking:hearing:4@krai"]
    assert hearing.start == at(8, 15) and hearing.end == at(8, 17)


def test_conditional_get_answers_304_until_something_changes(client, token, entries):
    first = client.get(feed_url(token))
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    again = client.get(feed_url(token), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(feed_url(token), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    Entry.objects.filter(pk=entries["trip"].pk).update(title="Командировка в Тверь", updated_at=timezone.now())
    changed = client.get(feed_url(token), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Командировка в Тверь" in changed.content.decode()


def test_deleting_an_entry_changes_the_etag(client, token, entries):
    etag = client.get(feed_url(token))["ETag"]
    entries["trip"].delete()
    assert client.get(feed_url(token), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unknown_revoked_and_orphaned_addresses_answer_404_alike(client, owner, token, entries):
    unknown = client.get(feed_url("x" * 43))
    assert unknown.status_code == 404
    feed = FeedToken.objects.get(user=owner)
    services.feed_revoke(actor=owner, feed=feed)
    revoked = client.get(feed_url(token))
    assert revoked.status_code == 404
    assert revoked.content == unknown.content
    assert b"VCALENDAR" not in revoked.content and "Планёрка".encode() not in revoked.content


@pytest.mark.parametrize("change", [{"is_active": False}, {"is_staff": False}])
def test_a_deactivated_owner_has_no_feed(client, owner, token, change):
    assert client.get(feed_url(token)).status_code == 200
    type(owner).objects.filter(pk=owner.pk).update(**change)
    assert client.get(feed_url(token)).status_code == 404


def test_last_use_is_written_at_most_every_few_minutes(client, owner, token):
    feed = FeedToken.objects.get(user=owner)
    assert feed.last_used_at is None
    client.get(feed_url(token))
    feed.refresh_from_db()
    first = feed.last_used_at
    assert first is not None
    client.get(feed_url(token))
    feed.refresh_from_db()
    assert feed.last_used_at == first
    FeedToken.objects.filter(pk=feed.pk).update(last_used_at=first - timedelta(minutes=10))
    client.get(feed_url(token))
    feed.refresh_from_db()
    assert feed.last_used_at > first - timedelta(minutes=10)


def test_an_address_polled_too_often_is_told_to_wait(client, token, settings):
    settings.KRAI_PLANNER_FEED_RATE = "2/m"
    assert client.get(feed_url(token)).status_code == 200
    assert client.get(feed_url(token)).status_code == 200
    assert client.get(feed_url(token)).status_code == 429


def test_the_feed_reads_the_areas_real_agenda(client, token, entries, monkeypatch):
    """Every installed area's ``agenda.items`` answers for the owner, and the feed still opens."""
    monkeypatch.setattr(services, "agenda_items", real_agenda_items)
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert entries["weekly"].uid in by_uid(read(response))
