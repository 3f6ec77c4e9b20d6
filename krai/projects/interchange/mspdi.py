"""MS Project XML (MSPDI, namespace ``http://schemas.microsoft.com/project``): a project's plan written here, and
a file read into the rows of the WBS table (``mspdi_read``), which the ``projects.plan`` importer then stores.

Written: the project's name and dates; one standard calendar (Monday to Friday, 8:00–12:00 and 13:00–17:00,
480 minutes a day) with the region's days off and worked weekend dates over the plan's years as exceptions,
so MS Project counts working days as Krai does; the project summary task (UID 0, as MS Project writes it);
then one task per item in outline order, UIDs numbered 1, 2, 3… in that order (not database ids, so the same
plan gives the same file). Start 08:00, finish 17:00; a control point is a milestone on its date. Cost is
in hundredths of a rouble (MSPDI's unit); a summary task's is the sum of its parts, a leaf's is also its fixed
cost. Items that are not fixed get "start no earlier than" their start (MS Project keeps the dates); fixed
ones "must start on". Links: ``PredecessorLink`` with Type 0 FF, 1 FS, 2 SF, 3 SS and the lag in tenths of
a minute (LagFormat 7, days); links to other projects of the programme are left out. Krai's own fields ride in
text fields named by their alias: kind (Text1), executor's code (Text2), responsible's e-mail (Text3), fixed
dates (Text4).

Read: defusedxml with no DTD allowed (no entities, so no "billion laughs") after the upload size limit. The
summary task UID 0 (and any null task) is skipped. A task's kind is its Krai field, else milestone → control
point, summary → stage, other → task. Progress, actual dates, resources and assignments are not read: the
import brings the plan, and progress is reported in Krai.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from krai.core.workcalendar.index import WorkingDays
from krai.core.workcalendar.selectors import days_off
from krai.projects import analysis
from krai.projects.interchange import wbsrows
from krai.projects.models import Project, WorkItem

NS = "http://schemas.microsoft.com/project"
TYPE_CODE = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
CODE_TYPE = {v: k for k, v in TYPE_CODE.items()}
MINUTES_PER_DAY = 480
FIELDS = {"kind": (188743731, "Text1", "Krai: вид элемента"), "executor": (188743734, "Text2", "Krai: исполнитель"),
          "responsible": (188743737, "Text3", "Krai: ответственный"), "pinned": (188743740, "Text4",
                                                                                 "Krai: даты закреплены")}
ELAPSED_LAG = {4, 6, 8, 10, 12, 36, 38, 40, 42, 44}
PERCENT_LAG = {19, 20, 51, 52}
WORKING_HOURS = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))


def _text(parent: Element, tag: str, value) -> Element:
    child = SubElement(parent, tag)
    child.text = str(value)
    return child


def _stamp(day: dt.date, time: str) -> str:
    return f"{day.isoformat()}T{time}"


def _calendar(parent: Element, first: int, last: int) -> None:
    calendar = SubElement(SubElement(parent, "Calendars"), "Calendar")
    for tag, value in (("UID", 1), ("Name", "Стандартный"), ("IsBaseCalendar", 1), ("IsBaselineCalendar", 0),
                       ("BaseCalendarUID", -1)):
        _text(calendar, tag, value)
    weekdays = SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):  # 1 Sunday … 7 Saturday
        weekday = SubElement(weekdays, "WeekDay")
        _text(weekday, "DayType", day_type)
        _text(weekday, "DayWorking", int(day_type not in (1, 7)))
        if day_type not in (1, 7):
            _hours(weekday)
    exceptions = SubElement(calendar, "Exceptions")
    for start, finish, working in _exceptions(first, last):
        exception = SubElement(exceptions, "Exception")
        _text(exception, "EnteredByOccurrences", 0)
        period = SubElement(exception, "TimePeriod")
        _text(period, "FromDate", _stamp(start, "00:00:00"))
        _text(period, "ToDate", _stamp(finish, "23:59:00"))
        _text(exception, "Occurrences", 1)
        _text(exception, "Name", "Рабочий день" if working else "Нерабочие дни")
        _text(exception, "Type", 1)
        _text(exception, "DayWorking", int(working))
        if working:
            _hours(exception)


def _hours(parent: Element) -> None:
    times = SubElement(parent, "WorkingTimes")
    for start, finish in WORKING_HOURS:
        period = SubElement(times, "WorkingTime")
        _text(period, "FromTime", start)
        _text(period, "ToTime", finish)


def _exceptions(first: int, last: int) -> list[tuple[dt.date, dt.date, bool]]:
    """Runs of weekdays off (holidays) and single weekend dates worked, ``first``..``last`` years."""
    runs: list[tuple[dt.date, dt.date, bool]] = []
    for year in range(first, last + 1):
        off = days_off(year)
        day = dt.date(year, 1, 1)
        while day.year == year:
            weekend = day.weekday() >= 5
            if not weekend and day in off:
                if runs and not runs[-1][2] and (runs[-1][1] + dt.timedelta(days=1) == day
                                                  or _only_weekend_between(runs[-1][1], day)):
                    runs[-1] = (runs[-1][0], day, False)
                else:
                    runs.append((day, day, False))
            elif weekend and day not in off:
                runs.append((day, day, True))
            day += dt.timedelta(days=1)
    return runs


def _only_weekend_between(last: dt.date, day: dt.date) -> bool:
    gap = [last + dt.timedelta(days=n) for n in range(1, (day - last).days)]
    return bool(gap) and len(gap) <= 2 and all(d.weekday() >= 5 for d in gap)


def export(project: Project) -> bytes:
    """The project's plan as MSPDI bytes (UTF-8); the same plan always gives the same bytes."""
    rows, _external = wbsrows.plan_rows(project)
    items = [row["item"] for row in rows]
    rolled = analysis.analyse(project, items=items).by_id if items else {}
    years = [project.starts_on.year, project.ends_on.year] + [i.planned_start.year for i in items] + [
        i.planned_finish.year for i in items]
    first, last = min(years), max(years)
    cal = WorkingDays(first - 1, last + 1)
    root = Element("Project", xmlns=NS)
    for tag, value in (("SaveVersion", 14), ("Name", project.title), ("Title", project.title),
                       ("ScheduleFromStart", 1), ("StartDate", _stamp(project.starts_on, "08:00:00")),
                       ("FinishDate", _stamp(project.ends_on, "17:00:00")), ("FYStartDate", 1),
                       ("CriticalSlackLimit", 0), ("CurrencyDigits", 2), ("CurrencySymbol", "₽"),
                       ("CurrencyCode", "RUB"), ("CurrencySymbolPosition", 3), ("CalendarUID", 1),
                       ("DefaultStartTime", "08:00:00"), ("DefaultFinishTime", "17:00:00"),
                       ("MinutesPerDay", MINUTES_PER_DAY), ("MinutesPerWeek", MINUTES_PER_DAY * 5),
                       ("DaysPerMonth", 20), ("DefaultTaskType", 1), ("DurationFormat", 7), ("WeekStartDay", 1)):
        _text(root, tag, value)
    definitions = SubElement(root, "ExtendedAttributes")
    for field_id, name, alias in FIELDS.values():
        definition = SubElement(definitions, "ExtendedAttribute")
        _text(definition, "FieldID", field_id)
        _text(definition, "FieldName", name)
        _text(definition, "Alias", alias)
    _calendar(root, first, last)
    tasks = SubElement(root, "Tasks")
    summary = SubElement(tasks, "Task")
    for tag, value in (("UID", 0), ("ID", 0), ("Name", project.title), ("Type", 1), ("IsNull", 0), ("WBS", 0),
                       ("OutlineNumber", 0), ("OutlineLevel", 0), ("Summary", 1)):
        _text(summary, tag, value)
    uid_of = {item.wbs: number for number, item in enumerate(items, start=1)}
    parents = {item.parent_id for item in items}
    for number, row in enumerate(rows, start=1):
        _task(tasks, number, row, has_parts=row["item"].pk in parents, rolled=rolled.get(row["item"].pk),
              cal=cal, uid_of=uid_of)
    indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + tostring(root, encoding="utf-8",
                                                                                  xml_declaration=False) + b"\n"


def _task(tasks: Element, number: int, row: dict, *, has_parts: bool, rolled, cal: WorkingDays,
          uid_of: dict[str, int]) -> None:
    item: WorkItem = row["item"]
    milestone = item.kind == WorkItem.Kind.CONTROL_POINT
    start = _stamp(item.planned_finish, "17:00:00") if milestone else _stamp(item.planned_start, "08:00:00")
    days = 0 if milestone else max(0, cal.on_or_before(item.planned_finish) - cal.on_or_after(item.planned_start) + 1)
    cost = rolled.budget_planned if rolled is not None else item.budget_planned
    task = SubElement(tasks, "Task")
    for tag, value in (("UID", number), ("ID", number), ("Name", item.title), ("Active", 1), ("Manual", 0),
                       ("Type", 1), ("IsNull", 0), ("WBS", item.wbs), ("OutlineNumber", item.wbs),
                       ("OutlineLevel", item.depth + 1), ("Priority", 500), ("Start", start),
                       ("Finish", _stamp(item.planned_finish, "17:00:00")), ("Duration", f"PT{days * 8}H0M0S"),
                       ("DurationFormat", 7), ("Milestone", int(milestone)), ("Summary", int(has_parts)),
                       ("FixedCost", 0 if has_parts else _hundredths(item.budget_planned)), ("FixedCostAccrual", 3),
                       ("PercentComplete", rolled.progress if rolled is not None else item.progress),
                       ("Cost", _hundredths(cost))):
        _text(task, tag, value)
    if has_parts:
        _text(task, "ConstraintType", 0)
        _text(task, "CalendarUID", -1)
    else:
        _text(task, "ConstraintType", 2 if item.pinned else 4)  # must start on / start no earlier than
        _text(task, "CalendarUID", -1)
        _text(task, "ConstraintDate", start)
    if item.description:
        _text(task, "Notes", item.description)
    for pred in wbsrows.parse_predecessors(row["predecessors"]):
        link = SubElement(task, "PredecessorLink")
        _text(link, "PredecessorUID", uid_of[wbsrows.wbs_text(pred.wbs)])
        _text(link, "Type", TYPE_CODE[pred.type])
        _text(link, "CrossProject", 0)
        _text(link, "LinkLag", pred.lag * MINUTES_PER_DAY * 10)
        _text(link, "LagFormat", 7)
    for name, value in (("kind", item.kind), ("executor", row["executor"]), ("responsible", row["responsible"]),
                        ("pinned", "да" if item.pinned else "")):
        if value:
            attribute = SubElement(task, "ExtendedAttribute")
            _text(attribute, "FieldID", FIELDS[name][0])
            _text(attribute, "Value", value)


def _hundredths(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())

