"""Importing an iCalendar (.ics) file into a person's planner: read and check it (not iCalendar, too big or broken:
refused, nothing stored), plan what it adds and updates (the preview), then apply the plan all or nothing.

Each VEVENT becomes an entry (``source="ics"``) keeping its UID, so importing the same file again updates the
entries instead of doubling them; RRULE and EXDATE are kept; an occurrence overridden in the file (RECURRENCE-ID)
becomes an entry of its own and is left out of its series (EXDATE). Times are converted to Krai's zone: the file's
own VTIMEZONEs, UTC, floating times (Google's X-WR-TIMEZONE honoured, otherwise read as Krai's zone).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import x_wr_timezone
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, vDatetime
from icalendar.cal.component import Component
from icalendar.error import IncompleteComponent

from krai.core.events.services import record_event
from krai.planner import ical, recurrence
from krai.planner.models import Entry

USE = "planner.use"
MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 5000
PREVIEW_ROWS = 20


@dataclass
class PlannedEntry:
    """One entry the file makes: ``action`` is add, update or same (already so in the planner)."""

    uid: str
    values: dict[str, Any]
    sequence: int = 0
    action: str = "add"

    @property
    def title(self) -> str:
        return self.values["title"]

    @property
    def starts_at(self) -> datetime:
        return self.values["starts_at"]

    @property
    def all_day(self) -> bool:
        return self.values["all_day"]

    @property
    def repeats(self) -> bool:
        return bool(self.values["rrule"])


@dataclass
class ImportPlan:
    """What a file does to the planner; ``skipped`` counts events left out (cancelled ones)."""

    rows: list[PlannedEntry] = field(default_factory=list)
    skipped: int = 0

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def added(self) -> int:
        return self.count("add")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("same")

    @property
    def first_rows(self) -> list[PlannedEntry]:
        """The rows the preview shows: what changes first, then what is already the same."""
        return sorted(self.rows, key=lambda row: (row.action == "same", row.starts_at))[:PREVIEW_ROWS]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]}, code="invalid")


def _aware(value: datetime) -> datetime:
    """A moment of the file as an aware one (floating times are Krai's zone's)."""
    return ical.local(value)


def _instant_text(value: date | datetime, *, all_day: bool) -> str:
    """An EXDATE or RECURRENCE-ID as the planner keeps it in ``exdates``: an ISO date, or an ISO UTC moment."""
    if all_day:
        return (_aware(value).date() if isinstance(value, datetime) else value).isoformat()
    if not isinstance(value, datetime):
        return value.isoformat()
    return _aware(value).isoformat()


def _dates_of(component: Component, name: str) -> list[date | datetime]:
    """Every value of a (possibly repeated) date-list property such as EXDATE."""
    found = component.get(name)
    if found is None:
        return []
    lists = found if isinstance(found, list) else [found]
    return [value.dt for item in lists for value in item.dts]


def _describe(component: Component) -> str:
    summary = str(component.get("SUMMARY") or "").strip()
    return summary or str(component.get("UID") or "?")


def read_calendar(data: bytes) -> Calendar:
    """The file as a calendar, or a refusal saying plainly what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise _refuse(_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise _refuse(_("The file is empty."))
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, TypeError):
        raise _refuse(_("This is not an iCalendar (.ics) file; export the calendar as .ics and try again.")) from None
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise _refuse(_("This is not an iCalendar (.ics) file; export the calendar as .ics and try again."))
    try:
        return x_wr_timezone.to_standard(calendar)
    except (ValueError, KeyError):
        return calendar


def _event_values(event: Component) -> dict[str, Any]:
    """The entry fields of one VEVENT (without the left-out occurrences its overrides add)."""
    broken = [name for name, _message in getattr(event, "errors", [])]
    if broken or event.get("DTSTART") is None:
        raise _refuse(_("The event «%(event)s» is broken (%(what)s); nothing was imported.")
                      % {"event": _describe(event)[:100], "what": ", ".join(broken) or "DTSTART"})
    start = event.start
    try:
        end = event.end
    except (IncompleteComponent, ValueError, TypeError):  # no end icalendar can work out: it lasts no time
        end = start
    all_day = not isinstance(start, datetime)
    if all_day:
        first = start
        last = end - timedelta(days=1) if isinstance(end, date) and not isinstance(end, datetime) else first
        starts_at = datetime.combine(first, time(), tzinfo=ical.local_zone())
        ends_at = datetime.combine(last, time(), tzinfo=ical.local_zone()) if last > first else None
    else:
        starts_at = _aware(start)
        end_at = _aware(end) if isinstance(end, datetime) else None
        ends_at = end_at if end_at is not None and end_at > starts_at else None
    rrule = ""
    rules = event.get("RRULE")
    if rules is not None:
        first_rule = rules[0] if isinstance(rules, list) else rules
        rrule = ical.normalized_rrule(first_rule.to_ical().decode(), all_day=all_day).to_ical().decode()
        try:
            rrule = recurrence.normalise(rrule, starts_at)
        except ValidationError as exc:
            raise _refuse(_("The event «%(event)s» repeats by a rule the planner cannot keep (%(why)s); nothing was "
                            "imported.") % {"event": _describe(event)[:100], "why": " ".join(exc.messages)}) from None
    kind = str(event.get(ical.X_KIND) or "")
    kind = kind if kind in Entry.Kind.values else Entry.Kind.EVENT
    title = str(event.get("SUMMARY") or "").strip()
    done_at = None
    if kind == Entry.Kind.TASK and event.get(ical.X_DONE) is not None:
        try:
            done_at = _aware(vDatetime.from_ical(str(event.get(ical.X_DONE))))
        except ValueError:
            done_at = None
        title = title.removeprefix(ical.DONE_MARK)
    return {
        "kind": kind, "title": (title or _("(untitled)"))[:300],
        "notes": str(event.get("DESCRIPTION") or "").strip(), "location": str(event.get("LOCATION") or "")[:300],
        "starts_at": starts_at, "ends_at": ends_at, "all_day": all_day, "rrule": rrule,
        "exdates": sorted({_instant_text(value, all_day=all_day) for value in _dates_of(event, "EXDATE")}),
        "done_at": done_at,
    }


def _uid(event: Component) -> str:
    """The event's UID, or (for the rare exporter that writes none) one made from what it is, so that importing the
    same file twice still finds it."""
    uid = str(event.get("UID") or "").strip()
    if not uid:
        seed = f"{event.get('DTSTART').to_ical()!r}|{event.get('SUMMARY')}"
        uid = f"ics-{hashlib.sha256(seed.encode()).hexdigest()[:32]}"
    return uid if len(uid) <= 255 else hashlib.sha256(uid.encode()).hexdigest()


def _override_uid(uid: str, recurrence_id: date | datetime) -> str:
    """The UID of an overridden occurrence kept as an entry of its own: the series' UID and the occurrence."""
    if isinstance(recurrence_id, datetime):
        stamp = _aware(recurrence_id).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    else:
        stamp = recurrence_id.strftime("%Y%m%d")
    joined = f"{uid}#{stamp}"
    return joined if len(joined) <= 255 else hashlib.sha256(joined.encode()).hexdigest()


def read_events(calendar: Calendar) -> tuple[list[PlannedEntry], int]:
    """The entries the calendar's VEVENTs make, and how many events were left out (cancelled)."""
    events = calendar.walk("VEVENT")
    if not events:
        raise _refuse(_("The file has no events to import."))
    if len(events) > MAX_EVENTS:
        raise _refuse(_("The file has more than %(count)d events; import it in parts.") % {"count": MAX_EVENTS})
    masters: dict[str, PlannedEntry] = {}
    overrides: list[tuple[str, Component]] = []
    skipped = 0
    for event in events:
        uid = _uid(event)
        if event.get("RECURRENCE-ID") is not None:
            overrides.append((uid, event))
            continue
        if str(event.get("STATUS") or "").upper() == "CANCELLED":
            skipped += 1
            continue
        masters[uid] = PlannedEntry(uid=uid, values=_event_values(event), sequence=_sequence(event))
    rows = list(masters.values())
    for uid, event in overrides:
        recurrence_id = event.decoded("RECURRENCE-ID")
        master = masters.get(uid)
        if master is not None and master.repeats:
            left_out = _instant_text(recurrence_id, all_day=master.all_day)
            master.values["exdates"] = sorted({*master.values["exdates"], left_out})
        if str(event.get("STATUS") or "").upper() == "CANCELLED":
            skipped += master is None
            continue
        values = _event_values(event)
        values.update(rrule="", exdates=[])  # one occurrence, moved or changed: it does not repeat itself
        rows.append(PlannedEntry(uid=_override_uid(uid, recurrence_id), values=values, sequence=_sequence(event)))
    return rows, skipped


def _sequence(event: Component) -> int:
    try:
        return max(0, int(event.get("SEQUENCE") or 0))
    except (TypeError, ValueError):
        return 0


def _same(entry: Entry, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        current = getattr(entry, name)
        if name == "exdates":
            current = sorted(current or [])
        if current != value:
            return False
    return True


def _require_use(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(USE):
        raise PermissionDenied(gettext_lazy("The planner is for members of staff."))


def ics_plan(*, actor: Any, data: bytes) -> ImportPlan:
    """What importing ``data`` into ``actor``'s planner would do (nothing is stored); a refusal if the file is
    not iCalendar, too big or broken."""
    _require_use(actor)
    rows, skipped = read_events(read_calendar(data))
    existing = {entry.uid: entry for entry in Entry.objects.filter(owner=actor, uid__in=[row.uid for row in rows])}
    for row in rows:
        entry = existing.get(row.uid)
        row.action = "add" if entry is None else ("same" if _same(entry, row.values) else "update")
    return ImportPlan(rows=rows, skipped=skipped)


@transaction.atomic
def ics_import(*, actor: Any, data: bytes, written_by: Any = None) -> ImportPlan:
    """Import the file into ``actor``'s planner, all or nothing: new UIDs are added, known ones updated (their
    SEQUENCE raised so that subscribed calendars take the change), the same ones left alone. ``written_by`` is
    who really did it (a deputy acting for ``actor``)."""
    plan = ics_plan(actor=actor, data=data)
    existing = {entry.uid: entry for entry in Entry.objects.select_for_update().filter(
        owner=actor, uid__in=[row.uid for row in plan.rows])}
    for row in plan.rows:
        entry = existing.get(row.uid)
        if entry is None:
            Entry.objects.create(owner=actor, uid=row.uid, source=Entry.Source.ICS, sequence=row.sequence,
                                 created_by=written_by or actor, **row.values)
            row.action = "add"
        elif not _same(entry, row.values):
            for name, value in row.values.items():
                setattr(entry, name, value)
            entry.sequence = max(entry.sequence + 1, row.sequence)
            entry.save()
            row.action = "update"
        else:
            row.action = "same"
    record_event(kind="planner.ics_imported", actor=actor, payload={
        "added": plan.added, "updated": plan.updated, "unchanged": plan.unchanged, "skipped": plan.skipped})
    return plan
