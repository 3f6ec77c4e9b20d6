"""The row model of a plan in a table: the columns (Russian titles, as the XLSX export writes them and the
importer reads them), the rows of a project's plan, and the notations people type in cells.

A row is one work item. ``wbs`` is its outline number ("1.2.3"): the tree is read from it, and the
predecessors cell names other rows by it — ``1.1FS+2; 1.3SS`` (type FS, SS, FF or SF, or the Russian ОН, НН,
ОО, НО; FS when left out; the lag in working days, ``+2``/``-1``, optionally followed by "д" or "d"). The
executor is an organisation's code, else its full or short name as written in Krai (one match only); the
responsible person is a member of staff's e-mail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from krai.core.csvsafe import FORMULA_START
from krai.core.imports.schema import Column
from krai.org.models import Organisation, User
from krai.projects.models import Dependency, Project, WorkItem

KIND_NAMES = {
    "stage": WorkItem.Kind.STAGE, "этап": WorkItem.Kind.STAGE, "фаза": WorkItem.Kind.STAGE,
    "result": WorkItem.Kind.RESULT, "результат": WorkItem.Kind.RESULT,
    "control_point": WorkItem.Kind.CONTROL_POINT, "control point": WorkItem.Kind.CONTROL_POINT,
    "контрольная точка": WorkItem.Kind.CONTROL_POINT, "кт": WorkItem.Kind.CONTROL_POINT,
    "milestone": WorkItem.Kind.CONTROL_POINT, "веха": WorkItem.Kind.CONTROL_POINT,
    "task": WorkItem.Kind.TASK, "задача": WorkItem.Kind.TASK, "мероприятие": WorkItem.Kind.TASK,
}
#: what the export writes in the kind column (Russian, as the headers)
KIND_WORDS = {WorkItem.Kind.STAGE: "этап", WorkItem.Kind.RESULT: "результат",
              WorkItem.Kind.CONTROL_POINT: "контрольная точка", WorkItem.Kind.TASK: "задача"}
LINK_TYPES = {"FS": "FS", "SS": "SS", "FF": "FF", "SF": "SF", "ОН": "FS", "НН": "SS", "ОО": "FF", "НО": "SF"}
_WBS = re.compile(r"^\d{1,4}(?:\.\d{1,4})*$")
_PRED = re.compile(r"^(?P<wbs>\d{1,4}(?:\.\d{1,4})*)\.?\s*(?P<type>FS|SS|FF|SF|ОН|НН|ОО|НО)?\s*"
                   r"(?:(?P<lag>[+-]\s*\d{1,3})\s*(?:d|д|дн|days?)?\.?)?$", re.IGNORECASE)


def columns() -> list[Column]:
    """The WBS table's columns, in the order the XLSX export writes them."""
    return [
        Column("wbs", required=True, title="Номер", title_en="WBS number", max_length=120,
               aliases=("№", "номер сдр", "сдр", "wbs", "outline number", "№ п/п")),
        Column("kind", title="Вид", title_en="Kind", aliases=("тип", "вид элемента", "type")),
        Column("title", required=True, title="Наименование", title_en="Title", max_length=500,
               aliases=("название", "наименование мероприятия", "name", "task name")),
        Column("executor", title="Исполнитель (код или наименование организации)", title_en="Executor organisation",
               aliases=("исполнитель", "организация-исполнитель", "организация", "executor", "organisation")),
        Column("responsible", title="Ответственный (e-mail)", title_en="Responsible (e-mail)",
               aliases=("ответственный", "ответственное лицо", "responsible"), max_length=254),
        Column("planned_start", type="date", title="Плановое начало", title_en="Planned start",
               aliases=("начало", "дата начала", "start")),
        Column("planned_finish", type="date", required=True, title="Плановое окончание",
               title_en="Planned finish", aliases=("окончание", "дата окончания", "срок", "finish")),
        Column("budget_planned", type="number", title="Бюджет, план (руб.)", title_en="Budget, planned (roubles)",
               minimum=0, aliases=("бюджет", "стоимость", "сумма", "budget", "cost")),
        Column("predecessors", title="Предшественники", title_en="Predecessors",
               aliases=("предшественник", "связи", "predecessors"), max_length=2000),
        Column("pinned", type="boolean", title="Даты закреплены", title_en="Dates fixed",
               aliases=("закреплено", "фиксированные даты", "pinned")),
        Column("description", title="Описание", title_en="Description", aliases=("примечание", "notes")),
    ]


def unescape(value):
    """The inverse of ``csvsafe.safe_cell``: a text written as ``'=…`` (so as not to be a formula) reads ``=…``."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def parse_wbs(text) -> tuple[int, ...]:
    """``"1.2.3"`` → ``(1, 2, 3)``; ValueError with a reason for anything else."""
    text = str(text or "").strip().rstrip(".")
    if not _WBS.match(text):
        raise ValueError(_("Write the number as digits separated by dots, like 1.2.3."))
    parts = tuple(int(part) for part in text.split("."))
    if 0 in parts:
        raise ValueError(_("The parts of the number start at 1."))
    return parts


def wbs_text(parts: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in parts)


def parse_kind(text) -> str | None:
    """The kind named by ``text`` (code, Russian or English word), None when the cell is empty; ValueError."""
    word = re.sub(r"[\s_]+", " ", str(text or "").strip().lower()).replace("ё", "е")
    if not word:
        return None
    found = KIND_NAMES.get(word) or KIND_NAMES.get(word.replace(" ", "_"))
    if found is None:
        labels = {str(label).lower(): value for value, label in WorkItem.Kind.choices}
        found = labels.get(word)
    if found is None:
        raise ValueError(_("Stage, result, control point or task."))
    return found


@dataclass(frozen=True)
class Pred:
    wbs: tuple[int, ...]
    type: str = Dependency.Type.FS
    lag: int = 0


def parse_predecessors(text) -> list[Pred]:
    """``"1.1FS+2; 1.3SS"`` → the links; ValueError naming the part that cannot be read."""
    found = []
    for part in re.split(r"[;,]", str(text or "")):
        part = part.strip()
        if not part:
            continue
        match = _PRED.match(part.upper().replace(" ", ""))
        if match is None:
            raise ValueError(_("“%(part)s” cannot be read: write links like 1.1FS+2; 1.3SS.") % {"part": part})
        lag = int(match["lag"].replace(" ", "")) if match["lag"] else 0
        if not -250 <= lag <= 250:
            raise ValueError(_("The lag is a whole number of working days from -250 to 250."))
        found.append(Pred(parse_wbs(match["wbs"]), LINK_TYPES[(match["type"] or "FS").upper()], lag))
    return found


def predecessors_text(preds: list[Pred]) -> str:
    return "; ".join(f"{wbs_text(p.wbs)}{p.type}{f'{p.lag:+d}' if p.lag else ''}" for p in preds)


def organisation_for(text) -> Organisation:
    """The organisation a cell names: its code, else its full or short name (one match only)."""
    text = str(text or "").strip()
    found = Organisation.objects.filter(code=text).first()
    if found is not None:
        return found
    named = list(Organisation.objects.filter(Q(name=text) | Q(short_name=text), is_active=True)[:2]) or list(
        Organisation.objects.filter(Q(name__iexact=text) | Q(short_name__iexact=text), is_active=True)[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise ValueError(_("Several organisations bear this name; give the organisation's code."))
    raise ValueError(_("No organisation with this code or name."))


def person_for(text) -> User:
    found = User.objects.filter(email__iexact=str(text or "").strip(), is_staff=True, is_active=True).first()
    if found is None:
        raise ValueError(_("No member of staff with this e-mail."))
    return found


def plan_rows(project: Project) -> tuple[list[dict], int]:
    """The project's plan as rows of the WBS table (outline order), and how many links were left out because
    their other end is in another project of the programme."""
    items = list(WorkItem.objects.filter(project=project).select_related("owner_organisation", "responsible")
                 .order_by("path"))
    wbs_of = {item.pk: item.wbs for item in items}
    preds: dict[int, list[Pred]] = {}
    external = 0
    for link in Dependency.objects.filter(successor__project=project).order_by("predecessor__path", "id"):
        if link.predecessor_id not in wbs_of:
            external += 1
            continue
        preds.setdefault(link.successor_id, []).append(
            Pred(parse_wbs(wbs_of[link.predecessor_id]), link.type, link.lag))
    external += Dependency.objects.filter(predecessor__project=project).exclude(successor__project=project).count()
    rows = [{
        "wbs": item.wbs, "kind": KIND_WORDS[item.kind], "title": item.title,
        "executor": item.owner_organisation.code if item.owner_organisation else "",
        "responsible": item.responsible.email if item.responsible else "",
        "planned_start": item.planned_start, "planned_finish": item.planned_finish,
        "budget_planned": item.budget_planned, "predecessors": predecessors_text(preds.get(item.pk, [])),
        "pinned": item.pinned, "description": item.description, "item": item,
    } for item in items]
    return rows, external
