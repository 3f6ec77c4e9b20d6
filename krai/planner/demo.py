"""Demo data of the planner: a week planned by the health department's head and by one of its executors — a weekly
Monday meeting (begun a month ago, so every week shows it), a trip over whole days, a hearing, and today's tasks.

Idempotent: each entry has a fixed idempotency key (``client_key``), so a second run answers the entries made by the
first. Like the other demos it writes rows directly and records no events (seeded data, not a person's doings).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.org.models import User
from krai.planner.models import Entry

DOMAIN = "demo.krai"
PEOPLE = ("head.health", "exec1.unit1.health")
#: (key, kind, title, day from this week's Monday, hour (None: whole day), hours, days, rule, place)
PLAN = (
    ("meeting", Entry.Kind.MEETING, "Планёрка департамента", -28, 9, 1, 0, "FREQ=WEEKLY;BYDAY=MO", "каб. 301"),
    ("trip", Entry.Kind.TRIP, "Выезд в районные больницы", 2, None, 0, 1, "", "Крымский район"),
    ("hearing", Entry.Kind.HEARING, "Публичные слушания по проекту бюджета", 3, 15, 2, 0, "", "Дом правительства"),
    ("report", Entry.Kind.DEADLINE, "Сдать отчёт о ходе ремонта поликлиник", 4, None, 0, 0, "", ""),
)
TASKS = ("Подготовить справку для губернатора", "Позвонить главврачу")


def _at(day: datetime, hour: int | None) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(hour or 0)))


@demo_loader(order=96)
def load_planner(*, scale: int, stdout: TextIO) -> list[str]:
    """The planned week of the department's head and his executor (see the module's text)."""
    today = timezone.localdate()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time.min)
    made = 0
    for login in PEOPLE:
        person = User.objects.filter(email=f"{login}@{DOMAIN}", is_active=True, is_staff=True).first()
        if person is None:
            continue
        for key, kind, title, day, hour, hours, days, rule, place in PLAN:
            starts = _at(monday + timedelta(days=day), hour)
            ends = starts + timedelta(hours=hours) if hour is not None else (
                starts + timedelta(days=days) if days else None)
            _, created = Entry.objects.get_or_create(
                owner=person, client_key=f"demo-{key}",
                defaults={"kind": kind, "title": title, "starts_at": starts, "ends_at": ends, "all_day": hour is None,
                          "rrule": rule, "location": place, "created_by": person})
            made += created
        for number, title in enumerate(TASKS):
            _, created = Entry.objects.get_or_create(
                owner=person, client_key=f"demo-task-{number}",
                defaults={"kind": Entry.Kind.TASK, "title": title, "all_day": True, "created_by": person,
                          "starts_at": _at(datetime.combine(today, time.min), None)})
            made += created
    stdout.write(f"  planner: {made} entries in the planners of {', '.join(PEOPLE)}\n")
    return []
