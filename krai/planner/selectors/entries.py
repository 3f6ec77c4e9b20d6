"""Reading the planner: a person's entries (404 alike for another's and a missing one), their occurrences in a
window, the day as the calendar shows it — his entries beside what every area puts in his days
(``krai.core.agenda``, read-only there, linked to its source) — and "what I gave": the orders he issued and the
assignments he delegated, with their executors, deadlines and states (from the orders' own selectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core import agenda
from krai.orders import selectors as orders
from krai.orders.models import Assignment, Order
from krai.orders.models.assignments import OPEN_STATUSES, Status
from krai.planner import recurrence
from krai.planner.models import Entry

#: the longest window one read expands (a year and a month: the API's, the month view's with its edges)
MAX_WINDOW = timedelta(days=400)
GIVEN_STATES = ("all", "open", "overdue", "done")


def entries_of(user: Any) -> QuerySet[Entry]:
    """The entries of ``user``'s own planner (the principal's, for a deputy acting for him)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Entry.objects.none()
    return Entry.objects.filter(owner=user)


def entry_get_for_user(*, user: Any, pk: Any) -> Entry:
    """One of ``user``'s entries; another's and a missing one both raise Http404."""
    entry = entries_of(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if entry is None:
        raise Http404(_("No such planner entry."))
    return entry


def entry_by_client_key(user: Any, client_key: str) -> Entry | None:
    """The entry ``user`` made with this idempotency key, if any."""
    return entries_of(user).filter(client_key=client_key).first() if client_key else None


def occurrences(user: Any, start: datetime, end: datetime) -> list[recurrence.Occurrence]:
    """``user``'s entries that meet ``[start, end)``, a repeating one as each of its occurrences there, in order."""
    reach = start - timedelta(days=1)  # a whole day's end is stored as its midnight
    single = Q(rrule="", starts_at__lt=end) & (Q(ends_at__gte=reach) | Q(ends_at__isnull=True, starts_at__gte=reach))
    found: list[recurrence.Occurrence] = []
    for entry in entries_of(user).filter(single | (~Q(rrule="") & Q(starts_at__lt=end))):
        found.extend(recurrence.occurrences(entry, start, end))
    return sorted(found, key=lambda o: (o.start, o.entry.pk))


@dataclass(frozen=True)
class CalendarItem:
    """One thing in the calendar: an occurrence of the person's entry (``entry`` set, his to change) or an area's
    item (read-only, ``url`` its page). A whole-day item's ``start`` and ``end`` are dates, the end included."""

    key: str
    source: str  # "planner", or the area's label
    kind: str
    kind_label: str
    title: str
    start: date | datetime
    end: date | datetime | None
    all_day: bool
    url: str
    entry: Entry | None = None
    occurrence: str = ""  # the occurrence's key (what leaving it out keeps), for a repeating entry
    done: bool = False
    overdue: bool = False
    status: str = ""
    detail: str = ""

    @property
    def day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def editable(self) -> bool:
        return self.entry is not None

    @property
    def repeats(self) -> bool:
        return self.entry is not None and bool(self.entry.rrule)


def occurrence_item(found: recurrence.Occurrence) -> CalendarItem:
    entry = found.entry
    start: date | datetime = found.start.date() if found.all_day else found.start
    end: date | datetime | None = None
    if found.end is not None:
        end = found.end.date() if found.all_day else found.end
    return CalendarItem(key=f"planner:entry:{entry.pk}:{found.key}", source="planner", kind=entry.kind,
                        kind_label=str(entry.get_kind_display()), title=entry.title, start=start, end=end,
                        all_day=found.all_day, url=reverse("planner:entry", args=[entry.pk]), entry=entry,
                        occurrence=found.key if entry.rrule else "", done=entry.done_at is not None,
                        detail=entry.location)


def _from_agenda(item: agenda.AgendaItem) -> CalendarItem:
    start, end = item.start, item.end
    if isinstance(start, datetime):
        start = recurrence.local(start)
    if isinstance(end, datetime):
        end = recurrence.local(end)
    return CalendarItem(key=item.key, source=item.area, kind=item.kind, kind_label=item.kind, title=item.title,
                        start=start, end=end, all_day=item.all_day, url=item.url, overdue=item.overdue,
                        status=item.status, detail=item.detail)


def window(start: datetime | date, end: datetime | date) -> tuple[datetime, datetime]:
    """A window as aware moments (a date: its local midnight); refused when it is reversed or longer than
    ``MAX_WINDOW``."""
    def moment(value: datetime | date) -> datetime:
        if not isinstance(value, datetime):
            value = datetime.combine(value, time.min)
        return recurrence.local(value)

    begins, ends = moment(start), moment(end)
    if ends <= begins:
        raise ValueError(_("The end of the period must come after its start."))
    if ends - begins > MAX_WINDOW:
        raise ValueError(_("A period of at most %(days)d days can be read at once.") % {"days": MAX_WINDOW.days})
    return begins, ends


def calendar_items(user: Any, start: datetime, end: datetime) -> list[CalendarItem]:
    """What the calendar shows between ``start`` and ``end``: ``user``'s entries (repeating ones expanded) and every
    area's items for him, by day, whole days first, then by time."""
    items = [occurrence_item(found) for found in occurrences(user, start, end)]
    items.extend(_from_agenda(item) for item in agenda.agenda_items(user, start, end))

    def order(item: CalendarItem) -> tuple:
        moment = item.start.time() if isinstance(item.start, datetime) else time.min
        return (item.day, not item.all_day, moment, item.source != "planner", item.title, item.key)

    return sorted(items, key=order)


def by_day(items: list[CalendarItem], first: date, last: date) -> list[tuple[date, list[CalendarItem]]]:
    """The items grouped by the day they start on (one begun earlier under ``first``), every day of
    ``first``…``last`` listed, empty ones too."""
    days: dict[date, list[CalendarItem]] = {first + timedelta(days=n): [] for n in range((last - first).days + 1)}
    for item in items:
        day = max(item.day, first)
        if day in days:
            days[day].append(item)
    return list(days.items())


# --- what I gave ----------------------------------------------------------------------------------------------

def given(user: Any, state: str = "all", today: date | None = None) -> QuerySet[Assignment]:
    """The orders ``user`` issued and the assignments he delegated (his ``issuer`` rows he may see), the nearest
    deadline first; ``state``: open (under control), overdue (under control past its deadline), done, or all."""
    rows = orders.assignment_list(user=user, filters=orders.ListFilter(which="given"), today=today)
    rows = rows.select_related("parent", "executor_organisation", "executor_user")
    if state == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif state == "overdue":
        rows = rows.overdue(today or timezone.localdate())
    elif state == "done":
        rows = rows.filter(status=Status.DONE)
    return rows


def given_counts(user: Any, today: date | None = None) -> dict[str, int]:
    """How many rows each of the lists of ``given`` has."""
    return {state: given(user, state, today).count() for state in GIVEN_STATES}


def order_content_type_id() -> int:
    return ContentType.objects.get_for_model(Order).pk


def given_url(row: Assignment, order_type_id: int | None = None) -> str:
    """The page of the order an assignment belongs to; the assignment's own page when it is not an order's."""
    if row.subject_type_id == (order_type_id or order_content_type_id()) and str(row.subject_id).isdigit():
        return reverse("orders:order", args=[int(row.subject_id)])
    return reverse("orders:assignment", args=[row.pk])


def executor_name(row: Assignment) -> str:
    """Whom it was given to: the person (with his organisation) or the organisation."""
    if row.executor_user_id:
        return f"{row.executor_user.short_name} ({row.executor_organisation})"
    return str(row.executor_organisation)
