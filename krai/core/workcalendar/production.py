"""The official Russian production calendar, derived from the ``holidays`` library.

``holidays.country_holidays("RU")`` lists public holidays and the weekdays that became days off by a
transfer ("Day off (substituted from MM/DD/YYYY)"). It does not list the other half of a transfer: the
source date, usually a Saturday, that becomes a working day. That half is derived here: the source date
of a substitution is a working day UNLESS it is itself in the holiday list (2025-01-04, a New Year
holiday, was moved to 2025-05-02 and stays a holiday; 2025-11-01, a plain Saturday, moved to 2025-11-03
and was worked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

COUNTRY = "RU"
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True)
class OfficialYear:
    """One year of the official calendar: dates off beyond weekends, and weekend dates worked."""

    year: int
    holidays: dict[date, str] = field(default_factory=dict)  # every date off named by the library
    working_weekends: dict[date, str] = field(default_factory=dict)  # transferred working days


def _source_date(name: str) -> date | None:
    match = _SUBSTITUTED.search(name)
    if match is None:
        return None
    month, day, year = (int(part) for part in match.groups())
    return date(year, month, day)


@lru_cache(maxsize=64)
def official_year(year: int) -> OfficialYear:
    """The official calendar of ``year`` (memoised: it depends only on the library's data)."""
    # Neighbouring years too: a transfer may cross New Year (a day of January moved to December 31).
    listed = holidays.country_holidays(COUNTRY, years=[year - 1, year, year + 1], language="en_US")
    all_off = {day: str(name) for day, name in listed.items()}
    working: dict[date, str] = {}
    for day, name in all_off.items():
        for part in name.split(";"):
            source = _source_date(part)
            if source is not None and source.year == year and source not in all_off:
                working[source] = f"Working day (transferred to {day:%m/%d/%Y})"
    off = {day: name for day, name in all_off.items() if day.year == year}
    return OfficialYear(year=year, holidays=off, working_weekends=working)


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def official_non_working(year: int) -> set[date]:
    """Every official day off of ``year``: weekends not worked, and holidays and days off."""
    official = official_year(year)
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    weekends = {start + timedelta(days=i) for i in range(days) if is_weekend(start + timedelta(days=i))}
    return (weekends - set(official.working_weekends)) | set(official.holidays)


@lru_cache(maxsize=64)
def holiday_names(year: int, language: str) -> dict[date, str]:
    """The library's names of ``year``'s days off in ``language`` ("ru" or anything else for English)."""
    listed = holidays.country_holidays(COUNTRY, years=year, language="ru" if language.startswith("ru") else "en_US")
    return {day: str(name) for day, name in listed.items()}
