"""Staffing tables and employments through the import kernel (``krai.core.imports``).

``staffing.table`` (option ``organisation``; optional ``act_number``, ``act_date``, ``valid_from``): the file's
rows become a new version of the body's table. ``staffing.employments`` (option ``organisation``): each row
records an employment on the current table's position with that unit and title.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.events.services import record_event
from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column
from krai.monitoring.staffing import services
from krai.monitoring.staffing.models import StaffingTable, StaffPosition
from krai.org.models import Organisation

CATEGORY_ALIASES = {"руководитель": "leader", "руководители": "leader", "специалист": "specialist",
                    "специалисты": "specialist", "обеспечивающий": "support", "обеспечивающие": "support",
                    "рабочий": "worker", "рабочие": "worker"}


def _organisation(options: dict) -> Organisation | None:
    return Organisation.objects.filter(code=options.get("organisation", "")).first()


def _units(organisation: Organisation) -> dict[str, Organisation]:
    return {o.code: o for o in Organisation.objects.filter(path__startswith=organisation.path)}


def _unit_code(row: dict, organisation: Organisation) -> str:
    return (row.get("unit") or "").strip() or organisation.code


def _date(options: dict, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(options[name]) if options.get(name) else None
    except ValueError:
        return None


class _Base(Importer):
    options = ("organisation",)
    token_scope = "monitoring:write"  # noqa: S105 — a scope name, not a secret

    def allowed(self, actor, *, options: dict) -> bool:
        organisation = _organisation(options)
        return bool(organisation is not None and actor.has_perm("staffing.change_staffing", organisation))

    def result_url(self, *, options: dict, summary: dict) -> str:
        return reverse("monitoring:staffing:organisation", args=[options["organisation"]])


class TableImporter(_Base):
    kind = "staffing.table"
    title = gettext_lazy("A staffing table")
    description = gettext_lazy("The rows become a new version of the organisation's staffing table; open "
                               "employments and vacancies of the positions that stay move to it.")

    def columns(self, *, options: dict) -> list[Column]:
        return [
            Column("unit", title="Код подразделения", title_en="Unit code", aliases=("подразделение", "unit")),
            Column("title", required=True, title="Должность", title_en="Position title", max_length=300,
                   aliases=("наименование должности", "position")),
            Column("category", title="Категория", title_en="Category", aliases=("категория должности",)),
            Column("rate", type="number", title="Ставка", title_en="Rate", minimum=0.01, maximum=100,
                   aliases=("количество ставок", "штатные единицы")),
            Column("critical", type="boolean", title="Критичная", title_en="Critical", aliases=("критическая",)),
        ]

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        errors = {}
        organisation = _organisation(options)
        if organisation and _unit_code(row, organisation) not in _units(organisation):
            errors["unit"] = _("No such unit in this organisation.")
        category = (row.get("category") or "").strip().lower()
        if category and CATEGORY_ALIASES.get(category, category) not in StaffPosition.Category.values:
            errors["category"] = _("Unknown category (leader, specialist, support, worker).")
        return errors

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        organisation = _organisation(options)
        units = _units(organisation)
        positions = [{"unit": units[_unit_code(row, organisation)], "title": row["title"],
                      "category": CATEGORY_ALIASES.get((row.get("category") or "").strip().lower(),
                                                       (row.get("category") or "").strip().lower()) or "specialist",
                      "rate": row.get("rate") or 1, "critical": bool(row.get("critical"))} for row in rows]
        table = services.table_create(actor=actor, organisation=organisation,
                                      act_number=options.get("act_number", ""), act_date=_date(options, "act_date"),
                                      valid_from=_date(options, "valid_from") or timezone.localdate(),
                                      positions=positions)
        record_event(kind="staffing.table_imported", actor=actor, subject=table,
                     payload={"import": record.pk, "positions": len(positions)})
        return {"created": len(positions), "table": table.pk}


class EmploymentsImporter(_Base):
    kind = "staffing.employments"
    title = gettext_lazy("Employments of a staffing table")
    description = gettext_lazy("Each row records an employment on the current table's position with that unit "
                               "and title (the first of them not filled yet).")

    def columns(self, *, options: dict) -> list[Column]:
        return [
            Column("unit", title="Код подразделения", title_en="Unit code", aliases=("подразделение", "unit")),
            Column("title", required=True, title="Должность", title_en="Position title", max_length=300),
            Column("person_name", required=True, title="ФИО", title_en="Name", max_length=300,
                   aliases=("сотрудник", "работник")),
            Column("rate", type="number", title="Ставка", title_en="Rate", minimum=0.01, maximum=100),
            Column("started_on", type="date", required=True, title="Дата назначения", title_en="Started",
                   aliases=("дата приема", "с")),
            Column("ended_on", type="date", title="Дата увольнения", title_en="Ended", aliases=("по",)),
            Column("acting", type="boolean", title="Временно исполняющий", title_en="Acting", aliases=("врио",)),
            Column("on_leave", type="boolean", title="В отпуске", title_en="On leave",
                   aliases=("декретный отпуск",)),
        ]

    def _find(self, row: dict, organisation: Organisation) -> StaffPosition | None:
        table = StaffingTable.objects.filter(organisation=organisation, is_current=True).first()
        if table is None:
            return None
        candidates = list(table.positions.filter(unit__code=_unit_code(row, organisation),
                                                 title__iexact=(row.get("title") or "").strip()))
        free = [p for p in candidates if not p.employments.filter(ended_on__isnull=True, acting=False).exists()]
        return (free or candidates or [None])[0]

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        organisation = _organisation(options)
        if organisation and self._find(row, organisation) is None:
            return {"title": _("No such position in the organisation's current staffing table.")}
        if row.get("ended_on") and row.get("started_on") and row["ended_on"] < row["started_on"]:
            return {"ended_on": _("The end cannot come before the start.")}
        return {}

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        organisation = _organisation(options)
        for row in rows:
            services.employment_record(actor=actor, position=self._find(row, organisation),
                                       person_name=row["person_name"], rate=row.get("rate"),
                                       started_on=row["started_on"], ended_on=row.get("ended_on"),
                                       acting=bool(row.get("acting")), on_leave=bool(row.get("on_leave")))
        return {"created": len(rows)}


register(TableImporter())
register(EmploymentsImporter())
