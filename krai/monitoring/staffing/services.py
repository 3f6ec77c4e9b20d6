"""Writing staffing: a new table version, vacancies, employments; each write in one transaction with its event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.monitoring.findings import finding_to_order
from krai.monitoring.staffing.models import Employment, StaffingTable, StaffPosition, Vacancy
from krai.orders.models import Assignment
from krai.org.models import Organisation


def _check(actor, organisation: Organisation) -> None:
    if actor is None or not actor.has_perm("staffing.change_staffing", organisation):
        raise PermissionDenied(_("You may not change this organisation's staffing."))


def _unit_of(organisation: Organisation, unit: Organisation | None) -> Organisation:
    unit = unit or organisation
    if not unit.path.startswith(organisation.path):
        raise ValidationError({"unit": _("The unit must be the organisation itself or one of its units.")})
    return unit


@transaction.atomic
def table_create(*, actor, organisation: Organisation, act_number: str, act_date: dt.date | None,
                 valid_from: dt.date, positions: list[dict] | None = None) -> StaffingTable:
    """A new version of the body's staffing table, in force from ``valid_from``.

    ``positions`` (dicts of unit, title, category, rate, critical) make the new table; without them the current
    table's positions are copied forward. Open employments and vacancies of a position that continues (same unit
    and title) move with it as copies, so the previous version keeps its own history intact.
    """
    _check(actor, organisation)
    previous = StaffingTable.objects.select_for_update().filter(organisation=organisation, is_current=True).first()
    if previous is not None and valid_from < previous.valid_from:
        raise ValidationError({"valid_from": _("A new version cannot start before the current one.")})
    if previous is not None:
        StaffingTable.objects.filter(pk=previous.pk).update(is_current=False)
    table = StaffingTable.objects.create(organisation=organisation, act_number=(act_number or "").strip()[:100],
                                         act_date=act_date, valid_from=valid_from, created_by=actor)
    old = list(previous.positions.select_related("unit")) if previous else []
    if positions is None:
        positions = [{"unit": p.unit, "title": p.title, "category": p.category, "rate": p.rate,
                      "critical": p.critical, "position": p.position} for p in old]
    carried = {(p.unit_id, p.title.strip().lower()): p for p in old}
    for order, spec in enumerate(positions):
        unit = _unit_of(organisation, spec.get("unit"))
        rate = Decimal(str(spec.get("rate") or 1))
        if rate <= 0:
            raise ValidationError({"rate": _("A rate must be above zero.")})
        new = StaffPosition.objects.create(table=table, unit=unit, title=spec["title"].strip()[:300],
                                           category=spec.get("category") or StaffPosition.Category.SPECIALIST,
                                           rate=rate, critical=bool(spec.get("critical")),
                                           position=spec.get("position"), sort_order=order)
        source = carried.pop((unit.pk, new.title.lower()), None)
        if source is not None:
            _carry(source, new, valid_from)
    record_event(kind="staffing.table_created", actor=actor, subject=table,
                 payload={"organisation": organisation.code, "act_number": table.act_number,
                          "valid_from": valid_from.isoformat(), "positions": len(positions),
                          "previous": previous.pk if previous else None})
    return table


def _carry(source: StaffPosition, new: StaffPosition, valid_from: dt.date) -> None:
    for e in source.employments.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=valid_from)):
        Employment.objects.create(staff_position=new, person=e.person, person_name=e.person_name, rate=e.rate,
                                  started_on=e.started_on, ended_on=e.ended_on, acting=e.acting, on_leave=e.on_leave)
    for v in source.vacancies.filter(closed_on__isnull=True):
        Vacancy.objects.create(staff_position=new, opened_on=v.opened_on, critical=v.critical, note=v.note)


def _position(position: StaffPosition) -> StaffPosition:
    if not StaffingTable.objects.filter(pk=position.table_id, is_current=True).exists():
        raise ValidationError(_("This position belongs to a superseded staffing table."))
    return position


@transaction.atomic
def vacancy_open(*, actor, position: StaffPosition, opened_on: dt.date | None = None, critical: bool | None = None,
                 note: str = "") -> Vacancy:
    _check(actor, position.table.organisation)
    _position(position)
    if position.vacancies.filter(closed_on__isnull=True).exists():
        raise ValidationError(_("This position already has an open vacancy."))
    vacancy = Vacancy.objects.create(staff_position=position, opened_on=opened_on or timezone.localdate(),
                                     critical=position.critical if critical is None else bool(critical),
                                     note=(note or "").strip()[:500])
    record_event(kind="staffing.vacancy_opened", actor=actor, subject=vacancy,
                 payload={"position": position.pk, "critical": vacancy.critical,
                          "opened_on": vacancy.opened_on.isoformat()})
    return vacancy


@transaction.atomic
def vacancy_close(*, actor, vacancy: Vacancy, closed_on: dt.date | None = None) -> Vacancy:
    _check(actor, vacancy.staff_position.table.organisation)
    if vacancy.closed_on is not None:
        raise ValidationError(_("This vacancy is closed already."))
    closed_on = closed_on or timezone.localdate()
    if closed_on < vacancy.opened_on:
        raise ValidationError({"closed_on": _("A vacancy cannot close before it opened.")})
    vacancy.closed_on = closed_on
    vacancy.save(update_fields=["closed_on"])
    record_event(kind="staffing.vacancy_closed", actor=actor, subject=vacancy,
                 payload={"closed_on": closed_on.isoformat()})
    return vacancy


@transaction.atomic
def employment_record(*, actor, position: StaffPosition, person_name: str = "", person=None,
                      rate: Decimal | str | None = None, started_on: dt.date | None = None,
                      ended_on: dt.date | None = None, acting: bool = False, on_leave: bool = False) -> Employment:
    """Someone takes (a part of) the position; a permanent appointment closes the position's open vacancy."""
    _check(actor, position.table.organisation)
    _position(position)
    person_name = (person_name or (person.full_name if person else "")).strip()[:300]
    if not person_name:
        raise ValidationError({"person_name": _("Name the employee.")})
    rate = Decimal(str(rate if rate not in (None, "") else position.rate))
    if rate <= 0 or rate > position.rate:
        raise ValidationError({"rate": _("The rate must be above zero and not above the position's rate.")})
    started_on = started_on or timezone.localdate()
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("The end cannot come before the start.")})
    employment = Employment.objects.create(staff_position=position, person=person, person_name=person_name,
                                           rate=rate, started_on=started_on, ended_on=ended_on, acting=acting,
                                           on_leave=on_leave)
    closed = []
    if not acting:
        for vacancy in position.vacancies.filter(closed_on__isnull=True, opened_on__lte=started_on):
            Vacancy.objects.filter(pk=vacancy.pk).update(closed_on=started_on)
            closed.append(vacancy.pk)
    record_event(kind="staffing.employment_recorded", actor=actor, subject=employment,
                 payload={"position": position.pk, "rate": str(rate), "acting": acting, "on_leave": on_leave,
                          "started_on": started_on.isoformat(), "vacancies_closed": closed})
    return employment


@transaction.atomic
def employment_end(*, actor, employment: Employment, ended_on: dt.date | None = None,
                   open_vacancy: bool = True) -> Employment:
    """The employee leaves; the position gets an open vacancy from the next day (unless told not to)."""
    position = employment.staff_position
    _check(actor, position.table.organisation)
    ended_on = ended_on or timezone.localdate()
    if employment.ended_on is not None:
        raise ValidationError(_("This employment has ended already."))
    if ended_on < employment.started_on:
        raise ValidationError({"ended_on": _("The end cannot come before the start.")})
    employment.ended_on = ended_on
    employment.save(update_fields=["ended_on"])
    vacancy = None
    if open_vacancy and not employment.acting and not position.vacancies.filter(closed_on__isnull=True).exists():
        vacancy = Vacancy.objects.create(staff_position=position, opened_on=ended_on + dt.timedelta(days=1),
                                         critical=position.critical)
    record_event(kind="staffing.employment_ended", actor=actor, subject=employment,
                 payload={"ended_on": ended_on.isoformat(), "vacancy": vacancy.pk if vacancy else None})
    return employment


@transaction.atomic
def vacancy_to_order(*, actor, vacancy: Vacancy, deadline: dt.date | None = None,
                     working_days: int | None = 10) -> Assignment:
    """A critical vacancy becomes an order to the body that keeps the table: fill it."""
    position = vacancy.staff_position
    title = _("Fill the critical vacancy: %(title)s (%(unit)s), open since %(since)s") % {
        "title": position.title, "unit": position.unit, "since": vacancy.opened_on.strftime("%d.%m.%Y")}
    assignment = finding_to_order(actor=actor, kind="monitoring.staffing", subject=vacancy, title=title,
                                  executor_organisation=position.table.organisation, deadline=deadline,
                                  working_days=None if deadline else working_days)
    record_event(kind="staffing.vacancy_ordered", actor=actor, subject=vacancy, payload={"assignment": assignment.pk})
    return assignment
