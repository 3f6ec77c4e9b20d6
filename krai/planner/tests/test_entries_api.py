"""The planner's API with real tokens: an entry made (twice with one Idempotency-Key: one entry), read, changed,
ticked done, an occurrence left out, deleted; the window's occurrences and the agenda with an area's item; bad input
and bad windows refused in the one error format with nothing saved; a token without planner:write refused; another's
entry 404; a resident 403."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from krai.accounts.services.tokens import token_create
from krai.core import agenda
from krai.core.agenda import AgendaItem
from krai.core.events.models import Event
from krai.core.idempotency.models import IdempotencyKey
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.planner.models import Entry
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/planner/"
WRITE = ["read", "write", "planner:write"]
MSK = ZoneInfo("Europe/Moscow")


def api_of(user, scopes=WRITE) -> APIClient:
    key = token_create(actor=user, user=user, name="planner", scopes=scopes).key
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def owner():
    return StaffFactory()


def test_make_read_change_delete(owner):
    api = api_of(owner)
    made = api.post(f"{BASE}entries/", {"kind": "meeting", "title": "Планёрка",
                                        "starts_at": "2026-12-07T09:00:00+03:00",
                                        "ends_at": "2026-12-07T10:00:00+03:00", "rrule": "FREQ=WEEKLY;COUNT=5",
                                        "location": "каб. 301"}, format="json")
    assert made.status_code == 201
    body = made.json()
    entry = Entry.objects.get()
    assert body["id"] == entry.pk and body["rrule"] == "FREQ=WEEKLY;COUNT=5" and body["created_by"] == owner.pk
    assert api.get(f"{BASE}entries/{entry.pk}/").json()["title"] == "Планёрка"
    changed = api.patch(f"{BASE}entries/{entry.pk}/", {"title": "Планёрка отдела",
                                                       "exdates": ["2026-12-14T09:00:00+03:00"]}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["title"], changed.json()["sequence"]) == ("Планёрка отдела", 1)
    listed = api.get(f"{BASE}entries/", {"start": "2026-12-01", "end": "2027-01-01"}).json()
    assert listed["count"] == 3  # the 14th left out, 4 January outside the window
    assert [r["start"] for r in listed["results"]] == ["2026-12-07T09:00:00+03:00", "2026-12-21T09:00:00+03:00",
                                                       "2026-12-28T09:00:00+03:00"]
    assert all(r["entry"] == entry.pk and r["repeats"] for r in listed["results"])
    put = api.put(f"{BASE}entries/{entry.pk}/", {"kind": "task", "title": "Справка", "all_day": True,
                                                 "starts_at": "2026-12-08T15:00:00+03:00"}, format="json")
    assert put.status_code == 200 and put.json()["rrule"] == "" and put.json()["starts_at"].startswith("2026-12-08")
    done = api.patch(f"{BASE}entries/{entry.pk}/", {"done": True}, format="json")
    assert done.json()["done_at"] is not None
    assert api.delete(f"{BASE}entries/{entry.pk}/").status_code == 204
    assert not Entry.objects.exists()
    assert list(Event.objects.filter(kind__startswith="planner.").order_by("id").values_list("kind", flat=True)) == [
        "planner.entry_created", "planner.entry_updated", "planner.entry_updated", "planner.entry_done",
        "planner.entry_deleted"]


def test_the_window_lists_occurrences(owner):
    EntryFactory(owner=owner, title="Ежедневно", starts_at=datetime(2026, 12, 7, 9, 0, tzinfo=MSK),
                 ends_at=datetime(2026, 12, 7, 9, 15, tzinfo=MSK), rrule="FREQ=DAILY")
    EntryFactory(title="Чужое", starts_at=datetime(2026, 12, 8, 9, 0, tzinfo=MSK))
    listed = api_of(owner, ["read"]).get(f"{BASE}entries/", {"start": "2026-12-07T00:00:00+03:00",
                                                            "end": "2026-12-10T00:00:00+03:00"}).json()
    assert [(r["title"], r["start"], r["occurrence"]) for r in listed["results"]] == [
        ("Ежедневно", f"2026-12-0{d}T09:00:00+03:00", f"2026-12-0{d}T09:00:00+03:00") for d in (7, 8, 9)]


def test_an_idempotency_key_makes_one_entry(owner):
    api = api_of(owner)
    sent = {"title": "Позвонить", "starts_at": "2026-12-07T09:00:00+03:00"}
    first = api.post(f"{BASE}entries/", sent, format="json", HTTP_IDEMPOTENCY_KEY="7b0c-offline-1")
    again = api.post(f"{BASE}entries/", sent, format="json", HTTP_IDEMPOTENCY_KEY="7b0c-offline-1")
    assert (first.status_code, again.status_code) == (201, 201) and again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Entry.objects.count() == 1 and Entry.objects.get().client_key == "7b0c-offline-1"
    # long after, when the kernel has forgotten the request, the entry still remembers its key
    IdempotencyKey.objects.all().delete()
    late = api.post(f"{BASE}entries/", sent, format="json", HTTP_IDEMPOTENCY_KEY="7b0c-offline-1")
    assert late.status_code == 200 and late.json()["id"] == first.json()["id"] and Entry.objects.count() == 1
    other = api.post(f"{BASE}entries/", sent, format="json", HTTP_IDEMPOTENCY_KEY="7b0c-offline-2")
    assert other.status_code == 201 and Entry.objects.count() == 2
    long = api.post(f"{BASE}entries/", sent, format="json", HTTP_IDEMPOTENCY_KEY="k" * 65)
    assert long.status_code == 400 and "Idempotency-Key" in long.json()["error"]["fields"]
    assert Entry.objects.count() == 2 and Event.objects.filter(kind="planner.entry_created").count() == 2


@pytest.mark.parametrize(("sent", "field"), [
    ({"starts_at": "2026-12-07T09:00:00+03:00"}, "title"),
    ({"title": "x", "starts_at": "2026-12-07T09:00:00+03:00", "rrule": "FREQ=WEEKLY;BYDAY=XX"}, "rrule"),
    ({"title": "x", "starts_at": "2026-12-07T09:00:00+03:00", "ends_at": "2026-12-07T08:00:00+03:00"}, "ends_at"),
    ({"title": "x", "starts_at": "soon"}, "starts_at"),
    ({"title": "x", "starts_at": "2026-12-07T09:00:00+03:00", "kind": "party"}, "kind"),
])
def test_bad_input_is_refused_with_nothing_saved(owner, sent, field):
    answer = api_of(owner).post(f"{BASE}entries/", sent, format="json")
    assert answer.status_code == 400 and field in answer.json()["error"]["fields"]
    assert not Entry.objects.exists()


def test_a_bad_rule_says_why(owner):
    answer = api_of(owner).post(f"{BASE}entries/", {"title": "x", "starts_at": "2026-12-07T09:00:00+03:00",
                                                    "rrule": "FREQ=MINUTELY"}, format="json")
    assert answer.json()["error"]["fields"]["rrule"] == ["FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."]


@pytest.mark.parametrize("query", [{}, {"start": "2026-12-07"}, {"start": "2026-12-08", "end": "2026-12-07"},
                                   {"start": "2026-01-01", "end": "2027-06-01"}])
def test_bad_windows(owner, query):
    api = api_of(owner)
    for path in ("entries/", "agenda/"):
        answer = api.get(BASE + path, query)
        assert answer.status_code == 400 and answer.json()["error"]["status"] == 400


def test_the_agenda_has_entries_and_the_areas_items(owner, monkeypatch):
    EntryFactory(owner=owner, title="Планёрка", starts_at=datetime(2026, 12, 7, 9, 0, tzinfo=MSK),
                 ends_at=datetime(2026, 12, 7, 10, 0, tzinfo=MSK))
    monkeypatch.setattr(agenda, "providers", lambda: [("orders", lambda user, start, end: [AgendaItem(
        key="orders:deadline:7", area="orders", kind="deadline", title="Срок № 7", start=date(2026, 12, 7),
        url="/workspace/orders/control/7/", status="in progress")])])
    body = api_of(owner, ["read"]).get(f"{BASE}agenda/", {"start": "2026-12-07", "end": "2026-12-08"}).json()
    assert body["count"] == 2
    deadline, meeting = body["results"]
    assert (deadline["key"], deadline["source"], deadline["entry"], deadline["all_day"], deadline["start"]) == (
        "orders:deadline:7", "orders", None, True, "2026-12-07")
    assert (meeting["title"], meeting["source"], meeting["start"]) == ("Планёрка", "planner",
                                                                      "2026-12-07T09:00:00+03:00")
    assert meeting["url"] == f"/workspace/planner/entries/{meeting['entry']}/"


def test_a_token_without_planner_write_is_refused(owner):
    entry = EntryFactory(owner=owner, title="Планёрка")
    api = api_of(owner, ["read", "write"])
    made = api.post(f"{BASE}entries/", {"title": "x", "starts_at": "2026-12-07T09:00:00+03:00"}, format="json")
    assert made.status_code == 403 and "planner:write" in made.json()["error"]["message"]
    assert api.patch(f"{BASE}entries/{entry.pk}/", {"title": "y"}, format="json").status_code == 403
    assert api.delete(f"{BASE}entries/{entry.pk}/").status_code == 403
    assert api.get(f"{BASE}entries/{entry.pk}/").status_code == 200  # reading needs only read
    entry.refresh_from_db()
    assert entry.title == "Планёрка" and Entry.objects.count() == 1


def test_another_persons_entry_is_404_and_a_resident_403(owner):
    theirs = EntryFactory(title="Чужое")
    api = api_of(owner)
    assert api.get(f"{BASE}entries/{theirs.pk}/").status_code == 404
    assert api.patch(f"{BASE}entries/{theirs.pk}/", {"title": "моё"}, format="json").status_code == 404
    assert api.delete(f"{BASE}entries/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Чужое"
    resident = api_of(UserFactory())
    assert resident.get(f"{BASE}entries/", {"start": "2026-12-07", "end": "2026-12-08"}).status_code == 403
    assert resident.post(f"{BASE}entries/", {"title": "x", "starts_at": "2026-12-07T09:00:00+03:00"},
                         format="json").status_code == 403
    assert APIClient().get(f"{BASE}entries/").status_code == 401
