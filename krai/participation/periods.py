"""Rank periods (a month, a quarter, a half-year, a year) as stable keys: "2026-03", "2026-Q1", "2026-H1", "2026".

A priority vote stores the key of the period it was cast in, so a rank build selects its votes by one
indexed equality, and changing ``KRAI_RANK_PERIOD`` later only changes the keys of new votes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KINDS = ("month", "quarter", "half", "year")
_PATTERNS = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half": re.compile(r"^(\d{4})-H([12])$"),
    "year": re.compile(r"^(\d{4})$"),
}
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True, order=True)
class Period:
    """A period of ``kind`` from ``start`` (inclusive) to ``end`` (exclusive), in the region's local dates."""

    start: dt.date
    end: dt.date
    kind: str
    key: str

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def previous(self) -> Period:
        return period_of(self.start - dt.timedelta(days=1), kind=self.kind)

    def next(self) -> Period:
        return period_of(self.end, kind=self.kind)

    def __str__(self) -> str:
        return self.key


def configured_kind() -> str:
    kind = getattr(settings, "KRAI_RANK_PERIOD", "quarter")
    if kind not in KINDS:
        raise ImproperlyConfigured(f"KRAI_RANK_PERIOD must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_of(day: dt.date, *, kind: str | None = None) -> Period:
    """The period of ``kind`` (the configured one by default) that contains ``day``."""
    kind = kind or configured_kind()
    size = _MONTHS[kind]
    first_month = (day.month - 1) // size * size + 1
    start = dt.date(day.year, first_month, 1)
    end = _add_months(start, size)
    number = (first_month - 1) // size + 1
    key = {"month": f"{day.year}-{first_month:02d}", "quarter": f"{day.year}-Q{number}",
           "half": f"{day.year}-H{number}", "year": f"{day.year}"}[kind]
    return Period(start=start, end=end, kind=kind, key=key)


def current_period(*, kind: str | None = None, now: dt.datetime | None = None) -> Period:
    return period_of(timezone.localdate(now or timezone.now()), kind=kind)


def parse(key: str) -> Period:
    """The period a key names; ``ValidationError`` for anything else."""
    key = (key or "").strip()
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(key)
        if match:
            year = int(match.group(1))
            number = int(match.group(2)) if kind != "year" else 1
            month = number if kind == "month" else (number - 1) * _MONTHS[kind] + 1
            return period_of(dt.date(year, month, 1), kind=kind)
    raise ValidationError({"period": _("A period is written 2026-Q1, 2026-03, 2026-H1 or 2026.")})


def month_start(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)
