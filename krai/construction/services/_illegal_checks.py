"""The private checks of the illegal constructions' services (``illegal``): an entry's texts, dates, point, cadastral
number and choices (every wrong field named at once), a measure's amount and its court case among those the actor
may see.

Private (the module's name starts with ``_``): no service lives here, every function writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.construction.models import IllegalStatus, MeasureKind
from krai.construction.selectors import illegal as selectors

TEXT_MAX = 20_000
AMOUNT_MAX = Decimal("999999999999.99")
CADASTRAL = re.compile(r"^\d{1,2}:\d{1,2}:\d{1,7}:\d{1,9}$")


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}}, code="too_long")
    return value


def _date(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("Enter a valid date.")}, code="invalid")
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future")
    return value


def _point(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    if (lat is None) != (lon is None):
        raise ValidationError({"lat" if lat is None else "lon": _("Give both the latitude and the longitude, or "
                                                                  "neither.")}, code="pair")
    if lat is None:
        return None, None
    try:
        return float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValidationError({"lat": _("Enter the point as numbers.")}, code="invalid") from None


def _checked(checks: list[tuple[str, Callable[[], Any]]]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Run each field's check; the values that pass and every refusal by field (all named at once)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, check in checks:
        try:
            values[name] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    return values, errors


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields that are given, checked."""
    checks = {"address": lambda v: _text(v, "address", 300, required=True), "found_on": lambda v: _date(v, "found_on"),
              "cadastral_number": lambda v: _cadastral(v), "description": lambda v: _text(v, "description", TEXT_MAX),
              "owner": lambda v: _text(v, "owner", 300),
              "status": lambda v: _choice(v, "status", IllegalStatus.values)}
    out, errors = _checked([(name, partial(check, values[name])) for name, check in checks.items() if name in values])
    if "lat" in values or "lon" in values:
        point, more = _checked([("point", partial(_point, values.get("lat"), values.get("lon")))])
        errors.update(more)
        if point:
            out["lat"], out["lon"] = point["point"]
    if errors:
        raise ValidationError(errors)
    return out


def _cadastral(value: Any) -> str:
    value = _text(value, "cadastral_number", 40).replace(" ", "")
    if value and not CADASTRAL.match(value):
        raise ValidationError({"cadastral_number": _("A cadastral number is written like 23:43:0301001:123.")},
                              code="invalid")
    return value


def _choice(value: Any, field: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise ValidationError({field: _("Choose a value from the list.")}, code="invalid")
    return value


def _amount(value: Any, kind: str) -> Decimal | None:
    if value in (None, ""):
        if kind == MeasureKind.FINE:
            raise ValidationError({"amount": _("Give the fine's amount.")}, code="required")
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter the amount as a number.")}, code="invalid") from None
    if not amount.is_finite() or amount <= 0 or amount > AMOUNT_MAX:
        raise ValidationError({"amount": _("The amount must be more than zero and less than a trillion.")},
                              code="invalid")
    return amount


def _court_case(actor: Any, value: Any) -> Any:
    """The court case by its id (or the case itself), among those the actor may see; ``None`` for none."""
    if value in (None, ""):
        return None
    pk = str(getattr(value, "pk", value))
    case = selectors.court_cases_for(actor).filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 10 else None
    if case is None:
        raise ValidationError({"court_case": _("There is no such court case in the lawsuit monitoring.")},
                              code="invalid")
    return case
