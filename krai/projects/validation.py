"""Checks shared by the projects services (permissions, amounts, dates, a child within its parent)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from krai.projects.models import WorkItem

MAX_MONEY = Decimal("1e13")


def check(actor, perm: str, obj, message: str) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def money(value, field: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\xa0", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter an amount in roubles.")}, code="invalid") from exc
    if not number.is_finite() or number < 0 or number >= MAX_MONEY:
        raise ValidationError({field: _("Enter an amount in roubles.")}, code="invalid")
    return number.quantize(Decimal("0.01"))


def dates(start, finish, *, start_field: str = "planned_start", finish_field: str = "planned_finish") -> None:
    if not isinstance(start, date):
        raise ValidationError({start_field: _("Enter a valid date.")}, code="invalid")
    if not isinstance(finish, date):
        raise ValidationError({finish_field: _("Enter a valid date.")}, code="invalid")
    if finish < start:
        raise ValidationError({finish_field: _("The finish cannot be earlier than the start.")}, code="order")
    if not 2000 <= start.year <= 2100 or not 2000 <= finish.year <= 2100:
        raise ValidationError({start_field: _("Dates must lie between 2000 and 2100.")}, code="range")


def inside_parent(parent: WorkItem | None, start: date, finish: date) -> None:
    """A child's dates lie within its parent's, or a clear error."""
    if parent is not None and (start < parent.planned_start or finish > parent.planned_finish):
        raise ValidationError({"planned_start": _(
            "The dates must lie within «%(parent)s»: %(start)s – %(finish)s.") % {
            "parent": f"{parent.wbs} {parent.title}", "start": parent.planned_start.strftime("%d.%m.%Y"),
            "finish": parent.planned_finish.strftime("%d.%m.%Y")}}, code="outside_parent")
