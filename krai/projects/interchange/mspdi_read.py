"""Reading MS Project XML (MSPDI) into rows of the WBS table; see ``mspdi`` for what is read and how.

The XML is parsed by defusedxml with DTDs forbidden — an MSPDI file has none, and without a DTD there are no
entities to expand (no "billion laughs") and nothing external to fetch — after the upload size limit
(``KRAI_UPLOAD_MAX_BYTES``). Anything that is not an MSPDI plan is refused with a reason a person can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError  # types; defusedxml parses

from django.utils.translation import gettext as _

from krai.projects.interchange import wbsrows
from krai.projects.interchange.mspdi import CODE_TYPE, ELAPSED_LAG, FIELDS, MINUTES_PER_DAY, PERCENT_LAG
from krai.projects.models import WorkItem

TRUE = {"1", "true", "да", "yes"}


class MspdiError(ValueError):
    """The file is not an MS Project XML plan Krai can read; the message says why."""


@dataclass
class Parsed:
    name: str
    title: str
    rows: list[dict]
    skipped_links: int = 0


def _child(element: Element, ns: str, tag: str) -> str:
    found = element.find(f"{ns}{tag}")
    return (found.text or "").strip() if found is not None and found.text else ""


def _number(text: str, default: int = 0) -> int:
    try:
        return int(Decimal(text)) if text else default
    except (InvalidOperation, ValueError):
        return default


def _day(text: str, task: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(text[:19]).date()
    except ValueError as exc:
        raise MspdiError(_("Task «%(task)s» has no valid start or finish date.") % {"task": task}) from exc


def _money(text: str) -> str | None:
    try:
        amount = Decimal(text) / 100
    except (InvalidOperation, ValueError):
        return None
    return str(amount.quantize(Decimal("0.01"))) if amount.is_finite() else None


def _lag(text: str, lag_format: int, minutes_per_day: int, task: str) -> int:
    tenths = _number(text)
    if not tenths:
        return 0
    if lag_format in PERCENT_LAG:
        raise MspdiError(_("Task «%(task)s» has a lag in per cent of a duration; give it in days.") % {"task": task})
    if lag_format in ELAPSED_LAG:  # calendar time: 7 days are 5 working days
        return round(tenths / 10 / 1440 * 5 / 7)
    return round(tenths / 10 / minutes_per_day)


def _fields(root: Element, ns: str) -> dict[str, str]:
    """FieldID → our column name, for the extended attributes whose alias is Krai's own."""
    aliases = {alias: name for name, (_id, _field, alias) in FIELDS.items()}
    found = {}
    for definition in root.iterfind(f"{ns}ExtendedAttributes/{ns}ExtendedAttribute"):
        alias = _child(definition, ns, "Alias")
        if alias in aliases:
            found[_child(definition, ns, "FieldID")] = aliases[alias]
    return found


def _outline(numbers: list[int], level: int) -> list[int]:
    if level > len(numbers) + 1 or level < 1:
        raise MspdiError(_("The outline levels of the tasks do not form a tree."))
    return [*numbers[:level - 1], (numbers[level - 1] + 1) if len(numbers) >= level else 1]


def _root(content: bytes) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(content, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise MspdiError(_("The file declares a DTD or entities, which MS Project XML never does; it is not "
                           "accepted.")) from exc
    except (ParseError, ValueError) as exc:
        raise MspdiError(_("The file is not well-formed XML; save the plan from MS Project as “XML format "
                           "(*.xml)”.")) from exc


def parse(content: bytes) -> Parsed:
    """The plan in an MSPDI document as WBS rows (dates ISO, amounts as text); MspdiError otherwise."""
    if content[:4] == b"PK\x03\x04":
        raise MspdiError(_("The file is a ZIP package (perhaps an XLSX or an MPP), not MS Project XML."))
    root = _root(content)
    ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    if root.tag != f"{ns}Project" or ns not in ("", "{http://schemas.microsoft.com/project}"):
        raise MspdiError(_("The file is XML, but not an MS Project plan (MSPDI)."))
    minutes_per_day = _number(_child(root, ns, "MinutesPerDay"), MINUTES_PER_DAY) or MINUTES_PER_DAY
    fields = _fields(root, ns)
    tasks = [t for t in root.iterfind(f"{ns}Tasks/{ns}Task")
             if _child(t, ns, "UID") not in ("", "0") and _child(t, ns, "IsNull") not in TRUE
             and _child(t, ns, "OutlineLevel") != "0"]
    if not tasks:
        raise MspdiError(_("The file has no tasks."))
    wbs_of: dict[str, str] = {}
    numbers: list[int] = []
    for task in tasks:
        numbers = _outline(numbers, _number(_child(task, ns, "OutlineLevel"), 1))
        given = _child(task, ns, "OutlineNumber")
        wbs_of[_child(task, ns, "UID")] = given if re.fullmatch(r"\d+(\.\d+)*", given) else wbsrows.wbs_text(
            tuple(numbers))
    rows, skipped = [], 0
    for task in tasks:
        name = _child(task, ns, "Name") or _("(untitled)")
        extra = {fields[_child(a, ns, "FieldID")]: _child(a, ns, "Value")
                 for a in task.iterfind(f"{ns}ExtendedAttribute") if _child(a, ns, "FieldID") in fields}
        milestone, summary = _child(task, ns, "Milestone") in TRUE, _child(task, ns, "Summary") in TRUE
        kind = extra.get("kind") or (WorkItem.Kind.CONTROL_POINT if milestone else
                                     WorkItem.Kind.STAGE if summary else WorkItem.Kind.TASK)
        preds = []
        for link in task.iterfind(f"{ns}PredecessorLink"):
            uid = _child(link, ns, "PredecessorUID")
            if _child(link, ns, "CrossProject") in TRUE:
                skipped += 1
                continue
            if uid not in wbs_of:
                raise MspdiError(_("Task «%(task)s» follows a task (UID %(uid)s) that is not in the file.")
                                 % {"task": name, "uid": uid})
            lag = _lag(_child(link, ns, "LinkLag"), _number(_child(link, ns, "LagFormat"), 7), minutes_per_day,
                       name)
            preds.append(wbsrows.Pred(wbsrows.parse_wbs(wbs_of[uid]),
                                      CODE_TYPE.get(_number(_child(link, ns, "Type"), 1), "FS"), lag))
        cost = _child(task, ns, "Cost") or _child(task, ns, "FixedCost")
        rows.append({
            "wbs": wbs_of[_child(task, ns, "UID")], "kind": kind, "title": name[:500],
            "executor": extra.get("executor", ""), "responsible": extra.get("responsible", ""),
            "planned_start": _day(_child(task, ns, "Start"), name).isoformat(),
            "planned_finish": _day(_child(task, ns, "Finish"), name).isoformat(),
            "budget_planned": None if summary or not cost else _money(cost),
            "predecessors": wbsrows.predecessors_text(preds),
            "pinned": extra.get("pinned", "").lower() in TRUE or _child(task, ns, "ConstraintType") in ("2", "3"),
            "description": _child(task, ns, "Notes"),
        })
    return Parsed(name=_child(root, ns, "Name"), title=_child(root, ns, "Title"), rows=rows, skipped_links=skipped)
