"""A project's plan as an XLSX workbook: the WBS sheet first, in the layout the ``projects.plan`` importer
reads (its columns' Russian titles as the header), so that an exported plan imports again unchanged; a
second sheet says what project it is and when it was taken.

Every text cell goes through ``csvsafe.safe_cell``: a title starting with "=", "+", "-" or "@" is written with
a leading apostrophe, so it stays text and is never a formula; the importer takes the apostrophe off again
(``wbsrows.unescape``), so the text reads back as it was.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.csvsafe import safe_cell
from krai.projects.interchange import wbsrows
from krai.projects.models import Project

WIDTHS = {"wbs": 10, "kind": 18, "title": 60, "executor": 24, "responsible": 26, "planned_start": 14,
          "planned_finish": 14, "budget_planned": 18, "predecessors": 24, "pinned": 10, "description": 40}


def _value(name: str, value):
    if name == "pinned":
        return "да" if value else ""
    if isinstance(value, str):
        return safe_cell(value)
    return value


def export(project: Project, *, now: datetime | None = None) -> bytes:
    """The workbook's bytes (``now`` fixes the time written on the second sheet, for tests)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = wbsrows.columns()
    rows, external = wbsrows.plan_rows(project)
    book = Workbook()
    sheet = book.active
    sheet.title = "СДР"
    sheet.append([c.title for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_value(c.name, row[c.name]) for c in columns])
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = WIDTHS.get(column.name, 16)
        if column.type == "date":
            for cell in sheet[letter][1:]:
                cell.number_format = "DD.MM.YYYY"
        elif column.type == "number":
            for cell in sheet[letter][1:]:
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    about = book.create_sheet("Сведения")
    stamp = timezone.localtime(now or timezone.now()).strftime("%d.%m.%Y %H:%M")
    for label, value in ((_("Project"), project.title), (_("Code"), project.code),
                         (_("Programme"), project.programme.title), (_("Exported"), stamp),
                         (_("Links to other projects, not in this file"), external)):
        about.append([str(label), safe_cell(value) if isinstance(value, str) else value])
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
