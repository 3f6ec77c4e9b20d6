"""The entries' services: made, changed, deleted, ticked done, an occurrence left out and brought back — each an
audited event with the iCalendar sequence raised; bad input refused by field with nothing saved; only the owner
changes an entry and only staff keep a planner; an idempotency key makes one entry of two requests; a deputy acting
for the owner writes in the owner's planner as himself."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.acting import deputy_acting
from krai.core.events.models import Event
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.planner.models import Entry
from krai.planner.services import entries as services
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
AT = datetime(2026, 12, 7, 10, 0, tzinfo=MSK)


def kinds() -> list[str]:
    return list(Event.objects.filter(kind__startswith="planner.").order_by("id").values_list("kind", flat=True))


def test_create_change_done_delete_are_audited():
    owner = StaffFactory()
    entry = services.entry_create(actor=owner, kind=Entry.Kind.MEETING, title="  Планёрка ", starts_at=AT,
                                  ends_at=AT + timedelta(hours=1), location="каб. 301")
    assert (entry.owner, entry.created_by, entry.title, entry.sequence) == (owner, owner, "Планёрка", 0)
    assert entry.uid.endswith("@krai")
    services.entry_update(actor=owner, entry=entry, title="Планёрка отдела", rrule="freq=weekly")
    entry.refresh_from_db()
    assert (entry.title, entry.rrule, entry.sequence) == ("Планёрка отдела", "FREQ=WEEKLY", 1)
    services.entry_update(actor=owner, entry=entry, title="Планёрка отдела")  # nothing changes: nothing written
    task = services.entry_create(actor=owner, title="Справка", starts_at=AT, all_day=True)
    services.entry_set_done(actor=owner, entry=task)
    services.entry_set_done(actor=owner, entry=task)  # already done
    task.refresh_from_db()
    assert task.done_at is not None and task.kind == Entry.Kind.TASK
    services.entry_set_done(actor=owner, entry=task, done=False)
    services.entry_delete(actor=owner, entry=task)
    assert not Entry.objects.filter(pk=task.pk).exists()
    assert kinds() == ["planner.entry_created", "planner.entry_updated", "planner.entry_created",
                       "planner.entry_done", "planner.entry_reopened", "planner.entry_deleted"]
    changed = Event.objects.get(kind="planner.entry_updated")
    assert changed.actor == owner and set(changed.payload["changed"]) == {"title", "rrule"}
    assert "Планёрка" not in str(changed.payload)  # the audit keeps no personal text


def test_whole_days_are_put_on_local_midnights():
    owner = StaffFactory()
    trip = services.entry_create(actor=owner, kind=Entry.Kind.TRIP, title="Командировка", all_day=True,
                                 starts_at=datetime(2026, 12, 7, 15, 30, tzinfo=MSK),
                                 ends_at=datetime(2026, 12, 9, 8, 0, tzinfo=MSK))
    assert trip.starts_at == datetime(2026, 12, 7, tzinfo=MSK) and trip.ends_at == datetime(2026, 12, 9, tzinfo=MSK)
    one_day = services.entry_create(actor=owner, title="День", all_day=True, starts_at=AT, ends_at=AT)
    assert one_day.ends_at is None


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": "  "}, "title", "This field is required."),
    ({"title": "x" * 301}, "title", "At most 300 characters."),
    ({"kind": "party"}, "kind", "Choose one of"),
    ({"starts_at": None}, "starts_at", "Give when it starts"),
    ({"ends_at": AT - timedelta(minutes=1)}, "ends_at", "It cannot end before it starts."),
    ({"rrule": "FREQ=SOMETIMES"}, "rrule", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."),
    ({"rrule": "FREQ=DAILY", "exdates": ["someday"]}, "exdates", "is not a date"),
])
def test_bad_input_is_refused_by_field_and_nothing_saved(fields, field, message):
    owner = StaffFactory()
    values = {"title": "Планёрка", "starts_at": AT, **fields}
    with pytest.raises(ValidationError) as refused:
        services.entry_create(actor=owner, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Entry.objects.exists() and not kinds()


def test_only_staff_keep_a_planner_and_only_the_owner_changes_an_entry():
    with pytest.raises(PermissionDenied):
        services.entry_create(actor=UserFactory(), title="x", starts_at=AT)
    entry = EntryFactory()
    stranger = StaffFactory()
    for action in (lambda: services.entry_update(actor=stranger, entry=entry, title="чужое"),
                   lambda: services.entry_delete(actor=stranger, entry=entry),
                   lambda: services.entry_set_done(actor=stranger, entry=entry)):
        with pytest.raises(PermissionDenied):
            action()
    entry.refresh_from_db()
    assert entry.title != "чужое" and entry.done_at is None and not kinds()


def test_an_idempotency_key_makes_one_entry():
    owner = StaffFactory()
    first = services.entry_create(actor=owner, title="Позвонить", starts_at=AT, client_key="k-1")
    again = services.entry_create(actor=owner, title="Позвонить ещё раз", starts_at=AT, client_key="k-1")
    assert again.pk == first.pk and again.title == "Позвонить"
    assert Entry.objects.count() == 1 and kinds() == ["planner.entry_created"]
    other = services.entry_create(actor=StaffFactory(), title="Позвонить", starts_at=AT, client_key="k-1")
    assert other.pk != first.pk  # a key is the owner's own
    with pytest.raises(ValidationError):
        services.entry_create(actor=owner, title="x", starts_at=AT, client_key="k" * 65)


def test_an_occurrence_left_out_and_brought_back():
    owner = StaffFactory()
    weekly = services.entry_create(actor=owner, title="Планёрка", starts_at=AT, rrule="FREQ=WEEKLY")
    services.entry_skip(actor=owner, entry=weekly, occurrence=(AT + timedelta(weeks=1)).isoformat())
    weekly.refresh_from_db()
    assert weekly.exdates == ["2026-12-14T10:00:00+03:00"] and weekly.sequence == 1
    with pytest.raises(ValidationError) as refused:
        services.entry_skip(actor=owner, entry=weekly, occurrence=(AT + timedelta(days=1)).isoformat())
    assert refused.value.message_dict["occurrence"] == ["The entry has no occurrence then."]
    services.entry_restore(actor=owner, entry=weekly, occurrence="2026-12-14T07:00:00+00:00")
    weekly.refresh_from_db()
    assert weekly.exdates == []
    single = services.entry_create(actor=owner, title="Разовая", starts_at=AT)
    with pytest.raises(ValidationError):
        services.entry_skip(actor=owner, entry=single, occurrence=AT.isoformat())
    assert kinds()[-2:] == ["planner.occurrence_restored", "planner.entry_created"]


def test_a_deputy_writes_in_the_principals_planner_as_himself():
    principal, deputy = StaffFactory(), StaffFactory()
    with deputy_acting(deputy.pk):
        entry = services.entry_create(actor=principal, title="Совещание", starts_at=AT)
    assert entry.owner == principal and entry.created_by == deputy
    event = Event.objects.get(kind="planner.entry_created")
    assert event.actor == principal and event.deputy_id == deputy.pk
