"""Writing planner entries: create, change, delete, tick a task done (or not), leave one occurrence of a repeating
entry out (or bring it back). Pages, the API and the planner's other paths (an .ics import, a dictated task) write
through these functions only.

Each one checks the rule (``planner.use`` to write in one's planner, ``planner.change_entry`` — the owner — to
change an entry), validates with field-named errors so that nothing is saved on bad input, writes, raises the
iCalendar ``sequence`` so that subscribed calendars take the new version, and records a domain event (the audit
trail keeps it; a deputy acting for the owner is marked on it by the events kernel). A deputy writes in the
principal's planner: the entry is the principal's, ``created_by`` is the deputy.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.acting import current_deputy_id
from krai.core.events.services import record_event
from krai.planner import recurrence
from krai.planner.models import Entry
from krai.planner.services.reminders import reminders_reschedule

USE = "planner.use"
CHANGE = "planner.change_entry"
TITLE_MAX = 300
PLACE_MAX = 300
NOTES_MAX = 10_000
KEY_MAX = 64
EXDATES_MAX = 500
#: what a change may touch (everything else — owner, uid, source, client_key — stays as made)
CHANGEABLE = ("kind", "title", "notes", "location", "starts_at", "ends_at", "all_day", "rrule", "exdates")


def _require(actor: Any, perm: str, entry: Entry | None = None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(perm, entry):
        if perm == USE:
            raise PermissionDenied(_("Only members of staff keep a planner."))
        raise PermissionDenied(_("Only the owner of a planner entry may change it."))


def _midnight(moment: datetime) -> datetime:
    day = recurrence.local(moment).date()
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _text(errors: dict[str, list[str]], field: str, value: Any, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
    return text


def _exdates(errors: dict[str, list[str]], values: Any) -> list[str]:
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple) or len(values) > EXDATES_MAX:
        errors["exdates"] = [_("Give a list of at most %(n)d dates or moments.") % {"n": EXDATES_MAX}]
        return []
    kept: list[str] = []
    for value in values:
        parsed = recurrence.parse_exdate(value.isoformat() if hasattr(value, "isoformat") else value)
        if parsed is None:
            errors["exdates"] = [_("“%(value)s” is not a date (2026-12-31) or a moment (2026-12-31T09:00:00+03:00).")
                                 % {"value": value}]
            return []
        kept.append(parsed.isoformat())
    return sorted(set(kept))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields checked and normalised (a whole-day entry's moments put on local midnights); refused with
    a ValidationError naming each bad field, before anything is written."""
    errors: dict[str, list[str]] = {}
    kind = values.get("kind") or Entry.Kind.TASK
    if kind not in Entry.Kind.values:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(Entry.Kind.values)}]
    cleaned: dict[str, Any] = {
        "kind": kind,
        "title": _text(errors, "title", values.get("title"), TITLE_MAX, required=True),
        "notes": _text(errors, "notes", values.get("notes"), NOTES_MAX),
        "location": _text(errors, "location", values.get("location"), PLACE_MAX),
        "all_day": bool(values.get("all_day")),
        "exdates": _exdates(errors, values.get("exdates")),
    }
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("Give when it starts (or is due).")]
    elif ends_at is not None and not isinstance(ends_at, datetime):
        errors["ends_at"] = [_("Give when it ends as a date and time.")]
    else:
        starts_at = recurrence.local(starts_at)
        ends_at = recurrence.local(ends_at) if ends_at is not None else None
        if cleaned["all_day"]:
            starts_at = _midnight(starts_at)
            ends_at = _midnight(ends_at) if ends_at is not None else None
            ends_at = None if ends_at == starts_at else ends_at
        if ends_at is not None and ends_at < starts_at:
            errors["ends_at"] = [_("It cannot end before it starts.")]
    cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
    rule = str(values.get("rrule") or "")
    if len(rule) > Entry._meta.get_field("rrule").max_length:
        errors["rrule"] = [_("At most %(n)d characters.") % {"n": Entry._meta.get_field("rrule").max_length}]
    elif "starts_at" not in errors:
        try:
            cleaned["rrule"] = recurrence.normalise(rule, starts_at, all_day=cleaned["all_day"])
        except ValidationError as exc:
            errors["rrule"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if not cleaned["rrule"]:
        cleaned["exdates"] = []
    return cleaned


def _payload(entry: Entry, **extra: Any) -> dict[str, Any]:
    """What the audit keeps of an entry: its kind and times, never its title or notes (a personal planner)."""
    return {"owner": entry.owner_id, "kind": entry.kind, "starts_at": entry.starts_at, "all_day": entry.all_day,
            "repeats": bool(entry.rrule), "source": entry.source, **extra}


@transaction.atomic
def entry_create(*, actor: Any, kind: str = Entry.Kind.TASK, title: str, starts_at: datetime | None,
                 ends_at: datetime | None = None, all_day: bool = False, location: str = "", notes: str = "",
                 rrule: str = "", exdates: list[str] | None = None, client_key: str = "",
                 source: str = Entry.Source.MANUAL, uid: str = "") -> Entry:
    """A new entry in ``actor``'s planner. With ``client_key`` (an idempotency key: a form's hidden field, the API's
    ``Idempotency-Key``) the same key given again answers the entry it made first and writes nothing."""
    _require(actor, USE)
    client_key = (client_key or "").strip()
    if len(client_key) > KEY_MAX:
        raise ValidationError({"client_key": [_("An idempotency key has at most %(n)d characters.") % {"n": KEY_MAX}]})
    if client_key:
        first = Entry.objects.filter(owner=actor, client_key=client_key).first()
        if first is not None:
            return first
    if source not in Entry.Source.values:
        raise ValidationError({"source": [_("Unknown source.")]})
    cleaned = _clean({"kind": kind, "title": title, "starts_at": starts_at, "ends_at": ends_at, "all_day": all_day,
                      "location": location, "notes": notes, "rrule": rrule, "exdates": exdates})
    entry = Entry(owner=actor, created_by_id=current_deputy_id() or actor.pk, client_key=client_key, source=source,
                  uid=(uid or "")[:255], **cleaned)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # the same key sent twice at once: the other request made it
        first = Entry.objects.filter(owner=actor, client_key=client_key).first() if client_key else None
        if first is None:
            raise
        return first
    record_event(kind="planner.entry_created", actor=actor, subject=entry, payload=_payload(entry))
    return entry


def _locked(actor: Any, entry: Entry) -> Entry:
    _require(actor, CHANGE, entry)
    return Entry.objects.select_for_update().get(pk=entry.pk)


def _save(entry: Entry, fields: list[str]) -> None:
    """Write the change (a new SEQUENCE for calendars that copied the entry) and move its reminders with it."""
    entry.sequence += 1
    entry.save(update_fields=[*fields, "sequence", "updated_at"])
    reminders_reschedule(entry)


@transaction.atomic
def entry_update(*, actor: Any, entry: Entry, **changes: Any) -> Entry:
    """Change what ``changes`` names (any of ``CHANGEABLE``); the whole entry is checked again. Nothing changed
    writes nothing."""
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    entry = _locked(actor, entry)
    cleaned = _clean({**{name: getattr(entry, name) for name in CHANGEABLE}, **changes})
    changed = [name for name in CHANGEABLE if cleaned[name] != getattr(entry, name)]
    if not changed:
        return entry
    for name in changed:
        setattr(entry, name, cleaned[name])
    _save(entry, changed)
    record_event(kind="planner.entry_updated", actor=actor, subject=entry, payload=_payload(entry, changed=changed))
    return entry


@transaction.atomic
def entry_delete(*, actor: Any, entry: Entry) -> None:
    """Delete the entry with its reminders; the event keeps that it was there."""
    entry = _locked(actor, entry)
    record_event(kind="planner.entry_deleted", actor=actor, subject=entry, payload=_payload(entry))
    entry.delete()


@transaction.atomic
def entry_set_done(*, actor: Any, entry: Entry, done: bool = True) -> Entry:
    """Tick a task done (now), or bring it back to be done; ticking what is already so writes nothing."""
    entry = _locked(actor, entry)
    if done == (entry.done_at is not None):
        return entry
    entry.done_at = timezone.now() if done else None
    _save(entry, ["done_at"])
    record_event(kind="planner.entry_done" if done else "planner.entry_reopened", actor=actor, subject=entry,
                 payload=_payload(entry))
    return entry


def _occurrence(entry: Entry, occurrence: Any) -> str:
    """The ``exdates`` key of an occurrence given as a date, a moment or their ISO form; refused when the entry does
    not repeat or has no occurrence there."""
    if not entry.rrule:
        raise ValidationError({"occurrence": [_("Only a repeating entry has occurrences to leave out.")]})
    text = occurrence.isoformat() if hasattr(occurrence, "isoformat") else str(occurrence or "")
    moment = recurrence.parse_exdate(text)
    if moment is None or not recurrence.is_occurrence(entry, moment):
        raise ValidationError({"occurrence": [_("The entry has no occurrence then.")]})
    if entry.all_day:
        return (moment.date() if isinstance(moment, datetime) else moment).isoformat()
    if not isinstance(moment, datetime):
        raise ValidationError({"occurrence": [_("Give the occurrence's date and time.")]})
    return moment.isoformat()


@transaction.atomic
def entry_skip(*, actor: Any, entry: Entry, occurrence: Any) -> Entry:
    """Leave one occurrence of a repeating entry out (an RFC 5545 EXDATE)."""
    entry = _locked(actor, entry)
    key = _occurrence(entry, occurrence)
    if key in entry.exdates:
        return entry
    entry.exdates = sorted({*entry.exdates, key})
    _save(entry, ["exdates"])
    record_event(kind="planner.occurrence_skipped", actor=actor, subject=entry,
                 payload=_payload(entry, occurrence=key))
    return entry


@transaction.atomic
def entry_restore(*, actor: Any, entry: Entry, occurrence: Any) -> Entry:
    """Bring back an occurrence left out."""
    entry = _locked(actor, entry)
    key = _occurrence(entry, occurrence)
    if key not in entry.exdates:
        return entry
    entry.exdates = [value for value in entry.exdates if value != key]
    _save(entry, ["exdates"])
    record_event(kind="planner.occurrence_restored", actor=actor, subject=entry,
                 payload=_payload(entry, occurrence=key))
    return entry

