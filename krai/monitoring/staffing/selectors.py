"""Reading staffing: every read scoped to the user (a unit's or a body's positions are seen by whoever's scope
covers the unit or the body); the public summary shows counts and rates only, never a person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.monitoring.staffing import rates
from krai.monitoring.staffing.models import Employment, StaffingTable, StaffPosition, Vacancy
from krai.orders.models import OPEN_STATUSES, Assignment
from krai.org.models import Block, Organisation
from krai.org.scopes import scope_for


def critical_days() -> int:
    return int(getattr(settings, "KRAI_STAFF_CRITICAL_VACANCY_DAYS", 60))


def unit_threshold() -> float:
    return float(getattr(settings, "KRAI_STAFF_UNIT_THRESHOLD", 0.8))


def _position_scope(user) -> Q:
    scope = scope_for(user)
    return scope.q(organisation="unit") | scope.q(organisation="table__organisation")


def positions_visible_to(user) -> QuerySet[StaffPosition]:
    if not user.is_authenticated or not user.is_staff:
        return StaffPosition.objects.none()
    return StaffPosition.objects.filter(_position_scope(user))


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Bodies with a staffing table the user may open (his scope covers the body)."""
    if not user.is_authenticated or not user.is_staff:
        return Organisation.objects.none()
    return Organisation.objects.filter(scope_for(user).q(organisation=""), staffing_tables__isnull=False).distinct()


def organisation_for_user(user, code: str) -> Organisation:
    """The body named ``code`` if the user may open its staffing page (missing and forbidden alike: 404)."""
    organisation = organisations_visible_to(user).filter(code=code).select_related("block").first()
    if organisation is None:
        raise Http404
    return organisation


@dataclass
class Loaded:
    positions: list[rates.PositionRow]
    employments: dict[int, list[rates.EmploymentRow]]
    tables: list[tuple[int, int, dt.date]]


def _load(positions: QuerySet[StaffPosition]) -> Loaded:
    rows = [rates.PositionRow(pk=p["pk"], table_id=p["table_id"], organisation_id=p["table__organisation_id"],
                              unit_id=p["unit_id"], rate=p["rate"])
            for p in positions.values("pk", "table_id", "table__organisation_id", "unit_id", "rate")]
    by_position: dict[int, list[rates.EmploymentRow]] = defaultdict(list)
    for e in Employment.objects.filter(staff_position__in=positions).values(
            "staff_position_id", "rate", "started_on", "ended_on", "acting"):
        by_position[e["staff_position_id"]].append(rates.EmploymentRow(
            position_id=e["staff_position_id"], rate=e["rate"], started_on=e["started_on"], ended_on=e["ended_on"],
            acting=e["acting"]))
    table_ids = {row.table_id for row in rows}
    tables = list(StaffingTable.objects.filter(pk__in=table_ids).values_list("pk", "organisation_id", "valid_from"))
    return Loaded(rows, dict(by_position), tables)


def _current(positions: QuerySet[StaffPosition]) -> QuerySet[StaffPosition]:
    return positions.filter(table__is_current=True)


def fill_rates(user, *, block: str = "", organisation: str = "", on: dt.date | None = None) -> dict:
    """The drill-down: blocks of the region, a block's bodies, or a body's units, as far as the user sees.

    Without a choice the level fits the scope: one block → its bodies; one body → its units.
    """
    on = on or timezone.localdate()
    positions = _current(positions_visible_to(user))
    level = "block"
    if organisation:
        positions = positions.filter(table__organisation__code=organisation)
        level = "unit"
    elif block:
        positions = positions.filter(table__organisation__block__code=block)
        level = "organisation"
    loaded = _load(positions)
    if level == "block":
        orgs_blocks = dict(Organisation.objects.filter(pk__in={p.organisation_id for p in loaded.positions})
                           .values_list("pk", "block_id"))
        if len(set(orgs_blocks.values())) == 1:
            level = "organisation"
    if level == "organisation" and len({p.organisation_id for p in loaded.positions}) == 1:
        level = "unit"
    key = {"block": lambda p: orgs_blocks.get(p.organisation_id) or 0,
           "organisation": lambda p: p.organisation_id, "unit": lambda p: p.unit_id}[level]
    grouped = rates.group_rates(loaded.positions, loaded.employments, on, key)
    total = rates.group_rates(loaded.positions, loaded.employments, on, lambda p: "all").get("all", rates.Rate())
    if level == "block":
        names = {b.pk: b for b in Block.objects.filter(pk__in=grouped)}
        for pk, row in grouped.items():
            row.label = names[pk].name if pk in names else "—"
            row.extra = {"block": names[pk].code if pk in names else ""}
    else:
        names = {o.pk: o for o in Organisation.objects.filter(pk__in=grouped)}
        for pk, row in grouped.items():
            row.label = names[pk].name
            row.extra = {"organisation": names[pk].code, "body": level == "organisation"}
    threshold = unit_threshold()
    rows = sorted(grouped.values(), key=lambda r: (r.share if r.share is not None else 2, r.label))
    for row in rows:
        row.extra["low"] = row.share is not None and row.share < threshold
    bodies = {p.organisation_id for p in loaded.positions}
    # the body's own page, when the user may open it (a unit's head sees his unit here, not the body's table)
    body = organisations_visible_to(user).filter(pk__in=bodies).first() if level == "unit" and len(bodies) == 1 \
        else None
    return {"level": level, "rows": rows, "total": total, "on": on, "threshold": threshold, "body": body}


def history(user, *, organisation: str = "", months: int = 12, today: dt.date | None = None) -> list[dict]:
    """Fill rate at each month's end (exact: from the tables in force and the employments' dates)."""
    today = today or timezone.localdate()
    positions = positions_visible_to(user)
    if organisation:
        positions = positions.filter(table__organisation__code=organisation)
    loaded = _load(positions)
    out = []
    for day in rates.month_ends(today, months):
        in_force = rates.tables_in_force(loaded.tables, day)
        row = rates.group_rates(loaded.positions, loaded.employments, day, lambda p: "all", tables=in_force)
        rate = row.get("all", rates.Rate())
        out.append({"on": day, "planned": rate.planned, "filled": rate.filled, "percent": rate.percent})
    return out


def open_vacancies(user) -> QuerySet[Vacancy]:
    return (Vacancy.objects.filter(closed_on__isnull=True, staff_position__in=_current(positions_visible_to(user)))
            .select_related("staff_position__unit", "staff_position__table__organisation"))


def risks(user, *, today: dt.date | None = None) -> dict:
    """Critical vacancies open longer than the setting's days, and units below the fill threshold."""
    today = today or timezone.localdate()
    days = critical_days()
    late = list(open_vacancies(user).filter(critical=True, opened_on__lte=today - dt.timedelta(days=days))
                .order_by("opened_on", "pk"))
    orders = _open_orders(late)
    for vacancy in late:
        vacancy.days_open = (today - vacancy.opened_on).days
        vacancy.assignment_id = orders.get(str(vacancy.pk))
    loaded = _load(_current(positions_visible_to(user)))
    units = rates.group_rates(loaded.positions, loaded.employments, today, lambda p: p.unit_id)
    threshold = unit_threshold()
    low = [row for row in units.values() if row.share is not None and row.share < threshold]
    names = {o.pk: o for o in Organisation.objects.filter(pk__in=[row.key for row in low])}
    for row in low:
        row.label = names[row.key].name
        row.extra = {"organisation": names[row.key].code}
    low.sort(key=lambda r: (r.share, r.label))
    return {"vacancies": late, "units": low, "days": days, "threshold": threshold}


def _open_orders(vacancies: list[Vacancy]) -> dict[str, int]:
    """The open order (root assignment) on each vacancy, by the vacancy's id as the engine keeps it."""
    if not vacancies:
        return {}
    rows = Assignment.objects.filter(subject_type=ContentType.objects.get_for_model(Vacancy), parent__isnull=True,
                                     subject_id__in=[str(v.pk) for v in vacancies], status__in=OPEN_STATUSES)
    return dict(rows.values_list("subject_id", "pk"))


def current_table(organisation: Organisation) -> StaffingTable | None:
    return StaffingTable.objects.filter(organisation=organisation, is_current=True).first()


def organisation_page(user, organisation: Organisation, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    table = current_table(organisation)
    positions = list(table.positions.select_related("unit").prefetch_related("employments", "vacancies")
                     if table else [])
    for position in positions:
        position.current = [e for e in position.employments.all() if e.ended_on is None or e.ended_on >= today]
        position.open_vacancies = [v for v in position.vacancies.all() if v.closed_on is None]
        position.filled = rates.filled_rate(position.rate, [
            rates.EmploymentRow(e.staff_position_id, e.rate, e.started_on, e.ended_on, e.acting)
            for e in position.current], today)
    return {"table": table, "positions": positions,
            "versions": list(StaffingTable.objects.filter(organisation=organisation)),
            "rates": fill_rates(user, organisation=organisation.code, on=today)}


def public_summary(organisation: Organisation, *, today: dt.date | None = None) -> dict | None:
    """What the public structure page shows of a body's staffing: counts and rates, no names."""
    today = today or timezone.localdate()
    positions = StaffPosition.objects.filter(table__is_current=True).filter(
        Q(table__organisation=organisation) | Q(unit__path__startswith=organisation.path))
    loaded = _load(positions)
    if not loaded.positions:
        return None
    total = rates.group_rates(loaded.positions, loaded.employments, today, lambda p: "all")["all"]
    vacancies = Vacancy.objects.filter(closed_on__isnull=True, staff_position__in=positions).count()
    return {"positions": total.positions, "planned": total.planned, "filled": total.filled,
            "percent": total.percent, "vacancies": vacancies}
