"""What every area puts in a person's day: the planner (``krai.planner``) shows it beside his own tasks and events,
read-only, each item linked to the page it comes from.

An area declares a module ``krai/<area>/agenda.py`` with a function ``items(user, start, end) -> list[AgendaItem]``
that answers the person's items between two moments (``start`` included, ``end`` excluded), within what he may
read. The planner collects them from every installed Krai app, so a new area joins the planner by adding that
module — no area imports the planner, and the planner reads no area's tables for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils import timezone


@dataclass(frozen=True)
class AgendaItem:
    """One thing in a person's day that another area keeps. ``key`` is stable across reads (``<area>:<kind>:<id>``,
    the iCalendar UID of the feed is made from it); ``start`` is a date for a whole day (a deadline) or a moment;
    ``kind`` says what it is (``deadline``, ``control_point``, ``hearing``, ``milestone``…), ``area`` whose it is."""

    key: str
    area: str
    kind: str
    title: str
    start: date | datetime
    url: str
    end: date | datetime | None = None
    overdue: bool = False
    status: str = ""  # the item's state in its area, in the reader's language (e.g. "in progress")
    detail: str = ""  # a line beside the title (the order's number, the court…)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


Provider = Callable[[Any, datetime, datetime], list[AgendaItem]]


def window_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The first and the last calendar day the window ``[start, end)`` touches, in the local time zone (a provider
    of whole-day items — deadlines — filters its dates by them)."""
    last = end - timedelta(microseconds=1)
    return ((timezone.localdate(start) if timezone.is_aware(start) else start.date()),
            (timezone.localdate(last) if timezone.is_aware(last) else last.date()))


def providers() -> list[tuple[str, Provider]]:
    """Every installed Krai app's ``agenda.items``, as (app label, function), in the order of INSTALLED_APPS."""
    found: list[tuple[str, Provider]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("krai."):
            continue
        try:
            module = import_module(f"{config.name}.agenda")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.agenda":
                raise
            continue
        if module.__name__ == __name__:
            continue  # krai.core is an app too: its agenda module is this registry, not a provider
        found.append((config.label, module.items))
    return found


def agenda_items(user: Any, start: datetime, end: datetime) -> list[AgendaItem]:
    """Everything the areas put in ``user``'s days from ``start`` to ``end``, ordered by its start."""
    items: list[AgendaItem] = []
    for _label, provider in providers():
        items.extend(provider(user, start, end))

    def moment(item: AgendaItem) -> tuple:
        value = item.start
        if not isinstance(value, datetime):
            return (value, 0, None)
        # a moment belongs to the local day (a hearing at 01:00 in Moscow is 22:00 UTC the day before)
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return (value.date(), 1, value.time())

    return sorted(items, key=lambda item: (*moment(item)[:2], str(moment(item)[2] or ""), item.key))
