"""Repeating entries: an Entry's RFC 5545 rule (``rrule``, the RRULE body without ``RRULE:``) and its left-out
occurrences (``exdates``) expanded into the occurrences that fall within a window, with python-dateutil's
``rrulestr``; the simple chooser of the entry form (none, daily, weekdays, weekly, monthly, yearly, until a day or a
number of times) turned into a rule and read back from one.

Occurrences are counted in the installation's wall-clock time (``TIME_ZONE``, Europe/Moscow by default): a meeting
"every Monday at 09:00" stays at 09:00 local time all year, whatever the zone's offset does. A whole-day entry repeats
by dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

#: the chooser of the entry form; "custom" is a rule written by hand
SIMPLE = ("none", "daily", "weekdays", "weekly", "monthly", "yearly")
WEEKDAYS = "MO,TU,WE,TH,FR"
#: repeating more often than daily makes no sense in a personal planner (and would flood a calendar)
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
PARTS = ("FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY",
         "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST")
MAX_COUNT = 1000
#: an occurrence list never grows past this, whatever the window (a daily rule over years)
MAX_OCCURRENCES = 2000


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an entry: its start and end (aware moments; for a whole-day entry local midnights, the end
    being the last day's) and ``key``, the ISO form of its start that ``exdates`` keeps when it is left out."""

    entry: Any
    start: datetime
    end: datetime | None
    all_day: bool

    @property
    def key(self) -> str:
        return self.start.date().isoformat() if self.all_day else self.start.isoformat()

    @property
    def start_date(self) -> date:
        return self.start.date()


def _zone() -> Any:
    return timezone.get_current_timezone()


def local(moment: datetime) -> datetime:
    """``moment`` in the installation's zone (aware)."""
    return timezone.localtime(moment, _zone()) if timezone.is_aware(moment) else timezone.make_aware(moment, _zone())


def _aware(naive: datetime) -> datetime:
    return naive.replace(tzinfo=_zone())


def _parts(rule: str) -> list[tuple[str, str]]:
    """The NAME=VALUE parts of a rule, names upper-cased; refused with a clear message when it cannot be read."""
    body = (rule or "").strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body:
        return []
    if any(c in body for c in "\r\n"):
        raise ValidationError(_("Write one rule on one line, e.g. FREQ=WEEKLY;BYDAY=MO,WE."), code="rrule")
    parts: list[tuple[str, str]] = []
    for piece in body.strip(";").split(";"):
        name, sep, value = piece.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not name or not value:
            raise ValidationError(_("“%(part)s” is not a NAME=VALUE part of a rule.") % {"part": piece.strip()},
                                  code="rrule")
        if name not in PARTS:
            raise ValidationError(_("The rule part %(name)s is not known.") % {"name": name}, code="rrule")
        if any(name == seen for seen, _value in parts):
            raise ValidationError(_("The rule names %(name)s twice.") % {"name": name}, code="rrule")
        parts.append((name, value))
    return parts


def _until_local(value: str) -> datetime:
    """UNTIL as a naive local date-time: a UTC moment (``…Z``) converted, a date taken to its day's end."""
    try:
        if len(value) == 8:
            return datetime.combine(datetime.strptime(value, "%Y%m%d").date(), time(23, 59, 59))
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return timezone.localtime(moment, _zone()).replace(tzinfo=None)
        return datetime.strptime(value, "%Y%m%dT%H%M%S")
    except ValueError:
        raise ValidationError(_("UNTIL must be a date like 20261231 or a moment like 20261231T235959Z."),
                              code="rrule") from None


def _rule(rule: str, start: datetime) -> Any:
    """A dateutil rule for ``rule`` from ``start`` (naive local), after checking what dateutil lets through."""
    parts = _parts(rule)
    names = dict(parts)
    if "FREQ" not in names:
        raise ValidationError(_("A rule needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)."), code="rrule")
    if names["FREQ"] not in FREQUENCIES:
        raise ValidationError(_("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."), code="rrule")
    if "UNTIL" in names and "COUNT" in names:
        raise ValidationError(_("A rule ends either UNTIL a day or after COUNT times, not both."), code="rrule")
    if "COUNT" in names and not (names["COUNT"].isdigit() and 1 <= int(names["COUNT"]) <= MAX_COUNT):
        raise ValidationError(_("COUNT must be a number from 1 to %(max)d.") % {"max": MAX_COUNT}, code="rrule")
    written = []
    for name, value in parts:
        if name == "UNTIL":
            until = _until_local(value)
            if until < start:
                raise ValidationError(_("The repeats end (UNTIL) before the entry starts."), code="rrule")
            value = until.strftime("%Y%m%dT%H%M%S")
        written.append(f"{name}={value}")
    try:
        return rrulestr(";".join(written), dtstart=start)
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise ValidationError(_("The rule cannot be read: %(why)s.") % {"why": str(exc).strip(".")},
                              code="rrule") from None


def normalise(rule: str, starts_at: datetime, *, all_day: bool | None = None) -> str:
    """The rule as stored (upper case, without ``RRULE:``), after checking that it repeats from ``starts_at``;
    an empty string for no rule. Refused with a ValidationError whose message says what is wrong. With ``all_day``
    given, UNTIL is written as RFC 5545 wants it beside such a start: a date for whole days, else a UTC moment."""
    if not _parts(rule):
        return ""
    _rule(rule, local(starts_at).replace(tzinfo=None))
    parts = _parts(rule)
    if all_day is not None:
        parts = [(name, _until_typed(value, all_day) if name == "UNTIL" else value) for name, value in parts]
    return ";".join(f"{name}={value}" for name, value in parts)


def _until_typed(value: str, all_day: bool) -> str:
    until = _until_local(value)
    if all_day:
        return f"{until:%Y%m%d}"
    return f"{_aware(until).astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _excluded(exdates: list[str]) -> tuple[set[date], set[datetime]]:
    days: set[date] = set()
    moments: set[datetime] = set()
    for value in exdates or []:
        parsed = parse_exdate(value)
        if isinstance(parsed, datetime):
            moments.add(parsed)
        elif parsed is not None:
            days.add(parsed)
    return days, moments


def parse_exdate(value: Any) -> date | datetime | None:
    """An ``exdates`` item: an ISO date, or an ISO moment (aware; a naive one is local). None when unreadable."""
    text = str(value or "").strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return local(datetime.fromisoformat(text))
    except ValueError:
        return None


def _length(entry: Any) -> timedelta | None:
    return entry.ends_at - entry.starts_at if entry.ends_at is not None else None


def _overlaps(start: datetime, end: datetime | None, all_day: bool, window: tuple[datetime, datetime]) -> bool:
    """Whether an occurrence meets ``[window start, window end)``: a whole day lasts until the next midnight."""
    last = end or start
    if all_day:
        last = _aware(datetime.combine(local(last).date() + timedelta(days=1), time.min))
        return start < window[1] and last > window[0]
    return start < window[1] and (last > window[0] or last == start >= window[0])


def occurrences(entry: Any, start: datetime, end: datetime, *, left_out: bool = False) -> list[Occurrence]:
    """The occurrences of ``entry`` that meet the window ``[start, end)`` (a single entry gives at most one), in
    order; the left-out ones (``exdates``) skipped unless ``left_out``."""
    window = (local(start), local(end))
    first = local(entry.starts_at)
    length = _length(entry)
    if entry.all_day:
        first = _aware(datetime.combine(first.date(), time.min))
    if not entry.rrule:
        single = Occurrence(entry, first, local(entry.ends_at) if entry.ends_at else None, entry.all_day)
        return [single] if _overlaps(single.start, single.end, entry.all_day, window) else []
    rule = _rule(entry.rrule, first.replace(tzinfo=None))
    reach = (length or timedelta(0)) + (timedelta(days=1) if entry.all_day else timedelta(0))
    since = (window[0] - reach).replace(tzinfo=None)
    days, moments = _excluded([] if left_out else entry.exdates)
    found: list[Occurrence] = []
    for naive in rule.xafter(since, count=MAX_OCCURRENCES, inc=True):
        begins = _aware(naive)
        if begins >= window[1]:
            break
        if begins.date() in days or begins in moments:
            continue
        ends = begins + length if length is not None else None
        if _overlaps(begins, ends, entry.all_day, window):
            found.append(Occurrence(entry, begins, ends, entry.all_day))
    return found


def starts_after(entry: Any, after: datetime, *, limit: int = MAX_OCCURRENCES) -> Iterator[datetime]:
    """The starts (aware, local; local midnight for a whole-day entry) of the entry's occurrences that are not left
    out, strictly after ``after``, in order and lazily — what reminders count from. A rule that can no longer be read
    gives its first occurrence only."""
    threshold = local(after)
    first = local(entry.starts_at).replace(tzinfo=None)
    if entry.all_day:
        first = datetime.combine(first.date(), time.min)
    starts: Iterable[datetime] = [first]
    if entry.rrule.strip():
        try:
            starts = _rule(entry.rrule, first).xafter(threshold.replace(tzinfo=None), count=limit, inc=False)
        except ValidationError:
            starts = [first]
    days, moments = _excluded(entry.exdates)
    for naive in starts:
        begins = _aware(naive)
        if begins > threshold and begins.date() not in days and begins not in moments:
            yield begins


def is_occurrence(entry: Any, moment: date | datetime) -> bool:
    """Whether ``moment`` (a date for a whole-day entry, else a moment) is an occurrence of ``entry`` (left out or
    not): what may be skipped from its page."""
    day = local(moment).date() if isinstance(moment, datetime) else moment
    begin = _aware(datetime.combine(day, time.min))
    for found in occurrences(entry, begin, begin + timedelta(days=1), left_out=True):
        if found.start.date() == day and (not isinstance(moment, datetime) or entry.all_day
                                          or found.start == local(moment)):
            return True
    return False


# --- the simple chooser ---------------------------------------------------------------------------------------

def build(choice: str, *, starts_at: datetime, all_day: bool, until: date | None = None,
          count: int | None = None) -> str:
    """The rule of the chooser's ``choice`` (``none`` gives ""), ending on ``until`` (included) or after ``count``
    times. UNTIL is written as RFC 5545 wants it: a date for a whole-day entry, a UTC moment otherwise."""
    if choice == "none":
        return ""
    parts = {"daily": ["FREQ=DAILY"], "weekdays": ["FREQ=WEEKLY", f"BYDAY={WEEKDAYS}"], "weekly": ["FREQ=WEEKLY"],
             "monthly": ["FREQ=MONTHLY"], "yearly": ["FREQ=YEARLY"]}[choice]
    if until is not None:
        if all_day:
            parts.append(f"UNTIL={until:%Y%m%d}")
        else:
            last = _aware(datetime.combine(until, time(23, 59, 59))).astimezone(UTC)
            parts.append(f"UNTIL={last:%Y%m%dT%H%M%SZ}")
    elif count is not None:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def read(rule: str) -> dict[str, Any]:
    """The chooser's fields for a stored rule: ``{"choice", "until", "count"}``; ``choice`` is ``custom`` when the
    rule says more than the chooser can."""
    parts = dict(_parts(rule)) if rule else {}
    if not parts:
        return {"choice": "none", "until": None, "count": None}
    until = _until_local(parts.pop("UNTIL")).date() if "UNTIL" in parts else None
    count = int(parts.pop("COUNT")) if "COUNT" in parts else None
    simple = {(("FREQ", "DAILY"),): "daily", (("FREQ", "WEEKLY"),): "weekly",
              (("BYDAY", WEEKDAYS), ("FREQ", "WEEKLY")): "weekdays", (("FREQ", "MONTHLY"),): "monthly",
              (("FREQ", "YEARLY"),): "yearly"}
    choice = simple.get(tuple(sorted(parts.items())), "custom")
    return {"choice": choice, "until": until, "count": count}
