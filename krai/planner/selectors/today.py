"""My day, the officials' app start page: today's timeline (the person's entries, a repeating one as its occurrence,
beside what every area puts in his day) and his own assignments that are overdue or due in the next few days.

The assignments are read with the orders' own list selector (``orders.assignment_list``) and the very parameters
of the list page each number links to, so a number and its list are one count (as the workspace home's figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from krai.orders import selectors as orders
from krai.orders.models import Assignment
from krai.planner.selectors import entries

#: "due in the next days": today and this many days after it
AHEAD_DAYS = 3
#: how many rows of each list the page shows (the number and its link give the rest)
SHOWN = 10


@dataclass(frozen=True)
class Listed:
    """A few rows of an orders list, how many it has in all, and the list page that shows them all."""

    rows: list[Assignment]
    count: int
    url: str

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


@dataclass(frozen=True)
class MyDay:
    day: date
    until: date  # the last day of "due soon"
    items: list[entries.CalendarItem]
    overdue: Listed
    due: Listed


def _filter(params: dict[str, str]) -> orders.ListFilter:
    """The filter the orders list page reads from ``params`` (``krai.orders.views_lists``)."""
    def day(name: str) -> date | None:
        return date.fromisoformat(params[name]) if name in params else None

    return orders.ListFilter(which=params["list"], bucket=params.get("bucket", ""),
                             period_from=day("period_from"), period_to=day("period_to"))


def _listed(user: Any, params: dict[str, str], today: date, shown: int) -> Listed:
    found = orders.assignment_list(user=user, filters=_filter(params), today=today)
    rows = list(found[:shown])
    count = len(rows) if len(rows) < shown else found.count()  # counted apart only when there may be more
    return Listed(rows=rows, count=count, url=f"{reverse('orders:list')}?{urlencode(params)}")


def overdue_params() -> dict[str, str]:
    """His own open assignments past their deadline (the list page's "mine", bucket "overdue")."""
    return {"list": "mine", "bucket": "overdue"}


def due_params(today: date, ahead: int = AHEAD_DAYS) -> dict[str, str]:
    """His own open assignments due from today to ``ahead`` days later (the list page's deadline period)."""
    return {"list": "mine", "period_from": today.isoformat(), "period_to": (today + timedelta(days=ahead)).isoformat()}


def my_day(user: Any, today: date | None = None, *, ahead: int = AHEAD_DAYS, shown: int = SHOWN) -> MyDay:
    """``user``'s day (the principal's, for a deputy acting for him): ``today`` in the current time zone by
    default."""
    today = today or timezone.localdate()
    start, end = entries.window(today, today + timedelta(days=1))
    return MyDay(day=today, until=today + timedelta(days=ahead), items=entries.calendar_items(user, start, end),
                 overdue=_listed(user, overdue_params(), today, shown),
                 due=_listed(user, due_params(today, ahead), today, shown))
