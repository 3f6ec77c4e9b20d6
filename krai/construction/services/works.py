"""Writes of "Find out" about infrastructure works: entering and changing a work (its history kept), the status
moves with the actual dates, the plan moved with a reason (a later end is a slip), documents and photos, residents'
subscriptions and ratings, and the daily look for works slipping past their plan.

Each function checks who acts (``policy``), validates, writes and records its ``construction.work_*`` event in one
transaction; notifications follow from the events (``subscribers_works``). ``KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE``
limits what one resident subscribes and rates per period.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import Work, WorkKind, WorkRating, WorkStatus, WorkSubscription
from krai.construction.services.history import record_change, snapshot
from krai.core import ratelimit
from krai.core.events.models import Event
from krai.core.events.services import record_event
from krai.core.files.services import attachment_create
from krai.org.addresses import selectors as addresses
from krai.org.models import Organisation
from krai.org.selectors import municipality_at
from krai.projects.models import Programme

__all__ = ["work_attach", "work_complete", "work_create", "work_rate", "work_reschedule", "work_resume",
           "work_start", "work_subscribe", "work_suspend", "work_unsubscribe", "work_update", "works_check_slips"]

#: what staff enter and change with ``work_update`` (the planned dates move only with ``work_reschedule``)
EDITABLE = ("name", "kind", "address", "street", "lat", "lon", "geometry", "responsible_body", "contractor",
            "contractor_inn", "programme", "funding", "cost", "description")
ENTERED = (*EDITABLE, "planned_start", "planned_end")
#: what the card's history shows
HISTORY = (*ENTERED, "municipality", "status", "actual_start", "actual_end")
FILE_KINDS = {"document": ("pdf", "office"), "photo": ("image",)}
REASON_MAX = 2000
GEOMETRY_POINTS_MAX = 5000
GEOMETRY_TYPES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _payload(work: Work, **extra: Any) -> dict[str, Any]:
    return {"work_id": work.pk, "name": work.name, "status": work.status, "municipality_id": work.municipality_id,
            "responsible_body_id": work.responsible_body_id, **extra}


def _lock(work: Work) -> Work:
    return Work.objects.select_for_update().get(pk=work.pk)


def _sync(work: Work, fresh: Work) -> None:
    """The caller's object shows what the row now holds."""
    for field in Work._meta.concrete_fields:
        setattr(work, field.attname, getattr(fresh, field.attname))


def _text(value: Any, *, field: str, limit: int, required: str = "") -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)s characters (this one has %(length)s).")
                               % {"limit": limit, "length": len(text)}})
    return text


def _day(value: Any, *, field: str, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Give the date.")})
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Give a date as YYYY-MM-DD.")}) from None


def _coordinate(value: Any, *, field: str, limit: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not -limit <= number <= limit:
        raise ValidationError({field: _("The coordinates are not on the Earth.")})
    return number


def _positions(coordinates: Any, depth: int) -> list[Any]:
    """The [lon, lat] pairs nested ``depth`` levels deep in a GeoJSON geometry's coordinates."""
    if depth == 0:
        return [coordinates]
    if not isinstance(coordinates, list) or not coordinates:
        raise ValueError
    return [pair for item in coordinates for pair in _positions(item, depth - 1)]


def _clean_geometry(value: Any) -> dict[str, Any] | None:
    """A road's line or a yard's outline (GeoJSON), or nothing; numbers in range, a bounded size."""
    if value in (None, "", {}):
        return None
    refused = ValidationError({"geometry": _("Give a GeoJSON LineString, MultiLineString, Polygon or MultiPolygon "
                                             "with [longitude, latitude] pairs.")})
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise refused
    depth = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[value["type"]]
    try:
        pairs = _positions(value.get("coordinates"), depth)
    except (ValueError, RecursionError):
        raise refused from None
    if len(pairs) > GEOMETRY_POINTS_MAX:
        raise ValidationError({"geometry": _("At most %(n)s points.") % {"n": GEOMETRY_POINTS_MAX}})
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(x, int | float) and not isinstance(x, bool) for x in pair)
                and -180 <= pair[0] <= 180 and -90 <= pair[1] <= 90):
            raise refused
    return {"type": value["type"], "coordinates": value["coordinates"]}


def _clean_body(actor: Any, value: Any) -> Organisation:
    body = value if isinstance(value, Organisation) else None
    if body is None and str(value or "").isdigit():
        body = Organisation.objects.filter(pk=value).first()
    if body is None or not body.is_active:
        raise ValidationError({"responsible_body": _("Choose an active body from the list.")})
    if not (policy.is_keeper(actor) or policy.covers(actor, body)):
        raise ValidationError({"responsible_body": _("You may enter works only of the bodies you act for.")})
    return body


def _clean_programme(value: Any) -> Programme | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Programme) else value
    programme = Programme.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if programme is None:
        raise ValidationError({"programme": _("Choose a programme from the list.")})
    return programme


def _clean_cost(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        cost = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"cost": _("Give an amount in roubles.")}) from None
    if not cost.is_finite() or cost < 0 or cost >= Decimal("1e14"):
        raise ValidationError({"cost": _("Give an amount in roubles.")})
    return cost.quantize(Decimal("0.01"))


def _locate(data: dict[str, Any]) -> None:
    """The point given (inside the region) or found by the address; the municipality from the point; the street
    from the geocoder when none is given."""
    lat = _coordinate(data.get("lat"), field="lat", limit=90)
    lon = _coordinate(data.get("lon"), field="lon", limit=180)
    if (lat is None) != (lon is None):
        raise ValidationError({"lat": _("Give both the latitude and the longitude, or neither.")})
    if lat is None:
        found = addresses.search(data["address"], limit=1)
        if not found:
            raise ValidationError({"address": _("The address is not found: put the point on the map.")})
        lat, lon = found[0].lat, found[0].lon
        if not data.get("street"):
            data["street"] = found[0].street[:200]
    try:
        municipality = municipality_at(lon, lat)
    except ValidationError:
        municipality = None
    if municipality is None:
        raise ValidationError({"lat": _("The point is outside the region's municipalities.")})
    data.update(lat=lat, lon=lon, municipality=municipality)


def _clean(actor: Any, data: dict[str, Any], *, relocate: bool) -> dict[str, Any]:
    """Validated values of the given fields (all of them for a new work)."""
    errors: dict[str, list[str]] = {}
    cleaners = {
        "name": lambda v: _text(v, field="name", limit=300, required=_("Name the work.")),
        "kind": lambda v: v if v in WorkKind.values else _refuse("kind", _("Choose a type from the list.")),
        "address": lambda v: _text(v, field="address", limit=300, required=_("Give the address.")),
        "street": lambda v: _text(v, field="street", limit=200),
        "contractor": lambda v: _text(v, field="contractor", limit=300),
        "contractor_inn": _clean_inn,
        "funding": lambda v: _text(v, field="funding", limit=300),
        "description": lambda v: _text(v, field="description", limit=20000),
        "cost": _clean_cost, "geometry": _clean_geometry, "programme": _clean_programme,
        "responsible_body": lambda v: _clean_body(actor, v),
        "planned_start": lambda v: _day(v, field="planned_start"),
        "planned_end": lambda v: _day(v, field="planned_end"),
    }
    cleaned = dict(data)
    for name, clean in cleaners.items():
        if name in data:
            try:
                cleaned[name] = clean(data[name])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
    if not errors and relocate:
        _locate(cleaned)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refuse(field: str, message: str) -> Any:
    raise ValidationError({field: message})


def _clean_inn(value: Any) -> str:
    inn = str(value or "").strip()
    if inn and not (inn.isdigit() and len(inn) in (10, 12)):
        raise ValidationError({"contractor_inn": _("An INN has 10 or 12 digits.")})
    return inn


def _plan_ordered(start: date, end: date) -> None:
    if end < start:
        raise ValidationError({"planned_end": _("The planned end cannot come before the planned start.")})


@transaction.atomic
def work_create(*, actor: Any, **fields: Any) -> Work:
    """Enter a work of a body in the actor's reach (keepers: any body)."""
    unknown = set(fields) - set(ENTERED)
    if unknown:
        raise TypeError(f"work_create() got unexpected fields {sorted(unknown)}")
    policy.ensure_signed_in(actor)
    if not policy.may_enter_works(actor):
        raise PermissionDenied(_("Only the staff of a body enter its works."))
    data = _clean(actor, {name: fields.get(name) for name in ENTERED}, relocate=True)
    _plan_ordered(data["planned_start"], data["planned_end"])
    work = Work.objects.create(**data, created_by=actor)
    record_event(kind="construction.work_created", actor=actor, subject=work, payload=_payload(work))
    return work


@transaction.atomic
def work_update(*, actor: Any, work: Work, note: str = "", **fields: Any) -> Work:
    """Change what staff entered (a new point places the work again; a cleared one, by its address); the change
    joins its history. Moving to another body needs that body in the actor's reach too."""
    unknown = set(fields) - set(EDITABLE) - {"planned_start", "planned_end"}
    if unknown:
        raise TypeError(f"work_update() got unexpected fields {sorted(unknown)}")
    policy.ensure_work_manager(actor, work)
    locked = _lock(work)
    for name in ("planned_start", "planned_end"):
        if name in fields and _day(fields[name], field=name) != getattr(locked, name):
            raise ValidationError({name: _("Move the planned dates with “Reschedule”, giving the reason.")})
        fields.pop(name, None)
    body = fields.get("responsible_body")
    if body is not None and str(getattr(body, "pk", body)) == str(locked.responsible_body_id):
        fields.pop("responsible_body")  # unchanged: kept even if the body has closed since
    note = _text(note, field="note", limit=REASON_MAX)
    # a new point places the work again (a cleared one: by the address); a corrected address alone keeps the point
    relocate = any(name in fields and fields[name] != getattr(locked, name) for name in ("lat", "lon"))
    if relocate:
        for name in ("address", "lat", "lon", "street"):
            fields.setdefault(name, getattr(locked, name))
    data = _clean(actor, fields, relocate=relocate)
    before = snapshot(locked, HISTORY)
    for name, value in data.items():
        setattr(locked, name, value)
    after = snapshot(locked, HISTORY)
    if before == after and not note:
        _sync(work, locked)
        return work
    locked.save()
    changes = record_change(actor=actor, target=locked, before=before, after=after, note=note)
    record_event(kind="construction.work_updated", actor=actor, subject=locked,
                 payload=_payload(locked, changes=changes, note=note))
    _sync(work, locked)
    return work


def _move(actor: Any, work: Work, *, allowed: tuple[str, ...], refused: str, kind: str, note: str = "",
          check: Any = None, **values: Any) -> Work:
    """One status move: the lock, the state check (and ``check(locked)``), the write, the history, the event."""
    policy.ensure_work_manager(actor, work)
    locked = _lock(work)
    if locked.status not in allowed:
        raise ValidationError(refused, code="state")
    if check is not None:
        check(locked)
    before = snapshot(locked, HISTORY)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    changes = record_change(actor=actor, target=locked, before=before, after=snapshot(locked, HISTORY), note=note)
    record_event(kind=f"construction.work_{kind}", actor=actor, subject=locked,
                 payload=_payload(locked, changes=changes, note=note,
                                  **{k: v.isoformat() for k, v in values.items() if isinstance(v, date)}))
    _sync(work, locked)
    return work


def _actual_day(on: Any, *, field: str, not_before: date | None = None) -> date:
    day = _day(on, field=field, required=False) or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({field: _("An actual date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError({field: _("The work cannot end before it started (%(date)s).")
                               % {"date": not_before.strftime("%d.%m.%Y")}})
    return day


@transaction.atomic
def work_start(*, actor: Any, work: Work, on: Any = None) -> Work:
    """The work started (today, or the day given — never in the future)."""
    day = _actual_day(on, field="on")
    return _move(actor, work, allowed=(WorkStatus.PLANNED,), refused=_("Only a planned work can start."),
                 kind="started", status=WorkStatus.IN_PROGRESS, actual_start=day)


@transaction.atomic
def work_suspend(*, actor: Any, work: Work, reason: str) -> Work:
    reason = _text(reason, field="reason", limit=REASON_MAX, required=_("Say why the work is suspended."))
    return _move(actor, work, allowed=(WorkStatus.IN_PROGRESS,), refused=_("Only a work in progress can be "
                 "suspended."), kind="suspended", note=reason, status=WorkStatus.SUSPENDED)


@transaction.atomic
def work_resume(*, actor: Any, work: Work, note: str = "") -> Work:
    note = _text(note, field="note", limit=REASON_MAX)
    return _move(actor, work, allowed=(WorkStatus.SUSPENDED,), refused=_("Only a suspended work can resume."),
                 kind="resumed", note=note, status=WorkStatus.IN_PROGRESS)


@transaction.atomic
def work_complete(*, actor: Any, work: Work, on: Any = None) -> Work:
    """The work is done (today, or the day given: not in the future, not before its actual start)."""
    day = _actual_day(on, field="on")
    return _move(actor, work, allowed=(WorkStatus.IN_PROGRESS, WorkStatus.SUSPENDED),
                 refused=_("Only a started work can be completed."), kind="completed",
                 check=lambda locked: _actual_day(day, field="on", not_before=locked.actual_start),
                 status=WorkStatus.COMPLETED, actual_end=day)


@transaction.atomic
def work_reschedule(*, actor: Any, work: Work, planned_start: Any, planned_end: Any, reason: str) -> Work:
    """Move the plan, saying why; a later end is a slip (``construction.work_slipped``: its subscribers hear)."""
    policy.ensure_work_manager(actor, work)
    start, end = _day(planned_start, field="planned_start"), _day(planned_end, field="planned_end")
    reason = _text(reason, field="reason", limit=REASON_MAX, required=_("Say why the plan moves."))
    _plan_ordered(start, end)
    locked = _lock(work)
    if locked.status == WorkStatus.COMPLETED:
        raise ValidationError(_("A completed work keeps its plan."), code="state")
    if (start, end) == (locked.planned_start, locked.planned_end):
        raise ValidationError(_("The new plan is the same as the present one."), code="same")
    old_end = locked.planned_end
    before = snapshot(locked, HISTORY)
    locked.planned_start, locked.planned_end = start, end
    locked.save()
    changes = record_change(actor=actor, target=locked, before=before, after=snapshot(locked, HISTORY), note=reason)
    record_event(kind="construction.work_updated", actor=actor, subject=locked,
                 payload=_payload(locked, changes=changes, note=reason))
    if end > old_end:
        record_event(kind="construction.work_slipped", actor=actor, subject=locked,
                     payload=_payload(locked, reason="rescheduled", old_end=old_end.isoformat(),
                                      new_end=end.isoformat(), days=(end - old_end).days, note=reason))
    _sync(work, locked)
    return work


@transaction.atomic
def work_attach(*, actor: Any, work: Work, upload: Any, kind: str = "document") -> Any:
    """A document (estimate, contract, act: PDF or office) or a photo (an image) of the work, kept by the kernel."""
    if kind not in FILE_KINDS:
        raise ValidationError({"kind": _("Choose a document or a photo.")})
    policy.ensure_work_manager(actor, work)
    attachment = attachment_create(actor=actor, target=work, upload=upload, allowed_kinds=FILE_KINDS[kind])
    record_event(kind="construction.work_file_added", actor=actor, subject=work,
                 payload=_payload(work, attachment_id=attachment.pk, file_kind=kind, name=attachment.original_name))
    return attachment


def _check_rate(actor: Any, action: str) -> None:
    limit, seconds = ratelimit.rate(settings.KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE, "h")
    if not ratelimit.within(f"construction:{action}", actor.pk, limit, seconds):
        raise ratelimit.RateLimited(_("You are doing this too often. Please wait a while and try again."),
                                    code="rate_limited")


@transaction.atomic
def work_subscribe(*, actor: Any, work: Work) -> tuple[WorkSubscription, bool]:
    """Be told when the work starts, slips or ends; returns the subscription and whether it is new."""
    policy.ensure_signed_in(actor)
    existing = WorkSubscription.objects.filter(work=work, user=actor).first()
    if existing is not None:
        return existing, False
    _check_rate(actor, "subscribe")
    subscription = WorkSubscription.objects.create(work=work, user=actor)
    record_event(kind="construction.work_subscribed", actor=actor, subject=work,
                 payload=_payload(work, subscription_id=subscription.pk))
    return subscription, True


@transaction.atomic
def work_unsubscribe(*, actor: Any, work: Work) -> bool:
    """Stop being told; ``False`` when one was not subscribed (nothing changed)."""
    policy.ensure_signed_in(actor)
    row = WorkSubscription.objects.select_for_update().filter(work=work, user=actor).first()
    if row is None:
        return False
    pk = row.pk
    row.delete()
    record_event(kind="construction.work_unsubscribed", actor=actor, subject=work,
                 payload=_payload(work, subscription_id=pk))
    return True


@transaction.atomic
def work_rate(*, actor: Any, work: Work, score: Any, comment: str = "") -> tuple[WorkRating, bool]:
    """A resident rates a completed work's result, 1–5 — once, changeable; returns the rating and whether it is
    new. The work's row is locked first and its sums recounted, so ratings at the same moment all count."""
    policy.ensure_signed_in(actor)
    if not actor.email_confirmed:
        raise PermissionDenied(_("Confirm your e-mail address to rate works."))
    if policy.manages_work(actor, work):
        raise PermissionDenied(_("The responsible body's staff do not rate its own works."))
    if isinstance(score, bool) or not str(score).strip().isdigit() or not 1 <= int(str(score).strip()) <= 5:
        raise ValidationError({"score": _("Rate from 1 to 5.")})
    score = int(str(score).strip())
    comment = _text(comment, field="comment", limit=REASON_MAX)
    locked = _lock(work)
    if locked.status != WorkStatus.COMPLETED:
        raise ValidationError(_("A work is rated once it is completed."), code="state")
    _check_rate(actor, "rate")
    rating = WorkRating.objects.filter(work=locked, user=actor).first()
    created = rating is None
    if created:
        rating = WorkRating.objects.create(work=locked, user=actor, score=score, comment=comment)
    elif (rating.score, rating.comment) == (score, comment):
        _sync(work, locked)
        return rating, False
    else:
        rating.score, rating.comment = score, comment
        rating.save(update_fields=["score", "comment", "updated_at"])
    sums = WorkRating.objects.filter(work=locked).aggregate(n=Count("id"), total=Sum("score"))
    locked.ratings_count, locked.ratings_total = sums["n"], sums["total"] or 0
    locked.save(update_fields=["ratings_count", "ratings_total", "updated_at"])
    record_event(kind="construction.work_rated", actor=actor, subject=locked,
                 payload=_payload(locked, rating_id=rating.pk, score=score, changed=not created,
                                  ratings=locked.ratings_count, average=locked.rating))
    _sync(work, locked)
    return rating, created


def _slips_due(work: Work, today: date) -> list[tuple[str, date]]:
    """The slips a work shows today: its planned start passed unstarted, its planned end passed uncompleted."""
    slips = []
    if work.actual_start is None and work.planned_start < today:
        slips.append(("start", work.planned_start))
    if work.status != WorkStatus.COMPLETED and work.planned_end < today:
        slips.append(("end", work.planned_end))
    return slips


def works_check_slips(*, today: date | None = None) -> int:
    """The daily look: each slip (a planned date passed, per date) is recorded once as ``construction.work_slipped``
    — the event log remembers what was told, so a rerun or a redelivery tells nobody twice. Returns how many."""
    today = today or timezone.localdate()
    # a passed end implies a passed start (the plan is ordered), so these are all the candidates
    candidates = list(Work.objects.exclude(status=WorkStatus.COMPLETED).filter(planned_start__lt=today))
    told = {(e.subject_id, (e.payload or {}).get("reason"), (e.payload or {}).get("planned"))
            for e in Event.objects.filter(kind="construction.work_slipped",
                                          subject_type=ContentType.objects.get_for_model(Work),
                                          subject_id__in=[str(w.pk) for w in candidates]).only("subject_id", "payload")}
    recorded = 0
    for work in candidates:
        for reason, planned in _slips_due(work, today):
            if (str(work.pk), reason, planned.isoformat()) in told:
                continue
            with transaction.atomic():
                record_event(kind="construction.work_slipped", actor=None, subject=work,
                             payload=_payload(work, reason=reason, planned=planned.isoformat(),
                                              days=(today - planned).days))
            recorded += 1
    return recorded
