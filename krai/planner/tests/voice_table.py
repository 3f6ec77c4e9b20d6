"""The voice phrase tables (``data/voice_phrases_{ru,en}.csv``) and how a draft is scored against a row; shared by
the table tests and ``bench/bench_voice_phrases.py``.

A row: the phrase; the expected intent; the executor (his surname, with the given name where two share it —
"Иванов Сергей"; empty: nobody, or for a task the speaker himself; several executors ";"-separated in the order
said, an empty one for a person named whom the reader must ask for — "Козлов;;Ким"); the subject; the deadline as
an ISO date or "wd+N" (the N-th working day after ``TODAY``), empty when the phrase has none; the priority; what is
missing (";"-separated). The staff the phrases name are in ``data/voice_staff.csv``; ``TODAY`` is a Wednesday.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from krai.planner.voice.dates import Calendar
from krai.planner.voice.text import fold
from krai.planner.voice.types import Draft, PersonMatch

DATA = Path(__file__).resolve().parent / "data"
TODAY = date(2026, 12, 2)
FIELDS = ("intent", "executor", "subject", "deadline", "priority", "missing")


@dataclass(frozen=True)
class Row:
    line: int
    phrase: str
    intent: str
    executor: str
    subject: str
    deadline: str
    priority: str
    missing: tuple[str, ...]


def load_staff() -> list[dict[str, str]]:
    with open(DATA / "voice_staff.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_phrases(language: str) -> list[Row]:
    with open(DATA / f"voice_phrases_{language}.csv", encoding="utf-8", newline="") as handle:
        return [Row(line, row["phrase"], row["intent"], row["executor"], row["subject"], row["deadline"],
                    row["priority"], tuple(part for part in row["missing"].split(";") if part))
                for line, row in enumerate(csv.DictReader(handle), start=2)]


def expected_deadline(value: str, calendar: Calendar) -> date | None:
    if not value:
        return None
    if value.startswith("wd+"):
        return calendar.add_working_days(TODAY, int(value[3:]))
    return date.fromisoformat(value)


def official_calendar() -> Calendar:
    """Working days by the official calendar alone (no database): for the benchmark, which runs without one."""
    from krai.core.workcalendar import production

    def is_off(day: date) -> bool:
        return day in production.official_non_working(day.year)

    def add_working_days(start: date, days: int) -> date:
        day = start
        for _ in range(days):
            day += timedelta(days=1)
            while is_off(day):
                day += timedelta(days=1)
        return day

    def previous_working_day(day: date) -> date:
        while is_off(day):
            day -= timedelta(days=1)
        return day

    return Calendar(add_working_days, previous_working_day)


def _is(wanted: str, person: PersonMatch | None) -> bool:
    name = fold(person.full_name) if person else ""
    return name == fold(wanted) or (bool(wanted) and name.startswith(fold(wanted) + " "))


def executor_names(draft: Draft) -> str:
    """The draft's executors as a row writes them ("Козлов Николай Дмитриевич;;Ким Виктор Ильич")."""
    if len(draft.executors) > 1:
        return ";".join(named.person.full_name if named.person else "" for named in draft.executors)
    return draft.executor.full_name if draft.executor else ""


def score(row: Row, draft: Draft, *, speaker_id: int | None, calendar: Calendar) -> dict[str, bool]:
    """Which fields of ``draft`` are what ``row`` expects."""
    wanted = row.executor.split(";")
    if len(wanted) > 1 or len(draft.executors) > 1:
        executor_ok = len(wanted) == len(draft.executors) and all(
            _is(name, named.person) for name, named in zip(wanted, draft.executors, strict=True))
    elif row.executor:
        executor_ok = _is(row.executor, draft.executor)
    elif row.intent == "task":
        executor_ok = draft.executor is None or draft.executor.user_id == speaker_id
    else:
        executor_ok = draft.executor is None
    return {
        "intent": draft.intent == row.intent,
        "executor": executor_ok,
        "subject": draft.subject == row.subject,
        "deadline": draft.deadline == expected_deadline(row.deadline, calendar),
        "priority": draft.priority == row.priority,
        "missing": sorted(draft.missing) == sorted(row.missing),
    }


def describe(row: Row, draft: Draft, marks: dict[str, bool]) -> str:
    """One failing row, for the verbose report: what was wrong, expected against read."""
    got = {"intent": draft.intent, "executor": executor_names(draft),
           "subject": draft.subject, "deadline": str(draft.deadline or ""), "priority": draft.priority,
           "missing": ";".join(draft.missing)}
    wanted = {"intent": row.intent, "executor": row.executor, "subject": row.subject, "deadline": row.deadline,
              "priority": row.priority, "missing": ";".join(row.missing)}
    wrong = ", ".join(f"{name}: {wanted[name]!r} ≠ {got[name]!r}" for name in FIELDS if not marks[name])
    return f"line {row.line}: {row.phrase!r} — {wrong}"


def build_staff() -> tuple[object, dict[str, object]]:
    """The table's staff in the database, each holding a post in his unit (units under one government body), and
    the governor who dictates (he may give orders to every body). Returns the governor and the staff by full name."""
    from krai.org.models import Position, Role
    from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

    government = OrganisationFactory(name="Администрация края")
    units: dict[str, object] = {}
    people: dict[str, object] = {}
    for row in load_staff():
        unit = units.get(row["unit"])
        if unit is None:
            unit = units[row["unit"]] = OrganisationFactory(name=row["unit"], parent=government,
                                                            block=government.block, kind="unit")
        person = StaffFactory(surname=row["surname"], given_name=row["given_name"], patronymic=row["patronymic"])
        Position.objects.create(organisation=unit, title="Специалист", holder=person)
        people[person.full_name] = person
    governor = StaffFactory(surname="Губернский", given_name="Виктор", patronymic="Павлович")
    assign(governor, Role.GOVERNOR)
    return governor, people
