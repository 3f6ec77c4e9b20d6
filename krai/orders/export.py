"""XLSX export of the orders tables (a list, a dashboard level), written in openpyxl's streaming mode."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_ROWS = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(workbook, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response


def _book(title: str, header: list[str]):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    return workbook, sheet


def _safe(value):
    """Text that a spreadsheet would take for a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def assignments_xlsx(qs) -> HttpResponse:
    today = timezone.localdate()
    workbook, sheet = _book(_("Assignments"), [
        _("Id"), _("Title"), _("Kind"), _("Executor"), _("Executor (person)"), _("Issued on"), _("Deadline"),
        _("Original deadline"), _("Status"), _("Executed on"), _("Overdue"), _("Executed late")])
    for a in qs:
        sheet.append([a.pk, _safe(a.title), a.kind, _safe(str(a.executor_organisation)),
                      _safe(str(a.executor_user or "")), a.issued_on, a.deadline, a.original_deadline,
                      str(a.get_status_display()), a.completed_on, _("yes") if a.is_overdue(today) else "",
                      _("yes") if a.is_late else ""])
    return _response(workbook, "assignments")


def dashboard_xlsx(load) -> HttpResponse:
    workbook, sheet = _book(_("Dashboard"), [
        load.title, _("Total"), _("Executed"), _("On control"), _("Overdue"), _("Executed late"),
        _("Executed, %"), _("Overdue, %")])
    for row in [*load.rows, load.totals]:
        sheet.append([_safe(str(row.label)), row.total, row.done, row.open, row.overdue, row.late,
                      row.share("done"), row.share("overdue")])
    return _response(workbook, "dashboard")
