"""A project's plan from a table, through the import kernel: kind ``projects.plan``.

Options: ``project`` (its code) and ``mode`` — empty for a project without items, ``append`` or ``replace``
for one with a plan (replacing must be asked for). Each row is an item of the work breakdown by its WBS number
(the columns are ``interchange.wbsrows.columns``: the layout the XLSX export writes, so an export imports
again). Rows are checked one by one (``check_row``) and, once each is right, together (``check_rows``, by
``interchange.planload.check``: tree, dates, links, loops); any error stores nothing. MS Project XML comes
through here too (``views_interchange`` turns it into rows).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column, RowError
from krai.projects.interchange import planload, wbsrows
from krai.projects.models import Project, WorkItem
from krai.projects.validation import money

KIND = "projects.plan"


def _project(options: dict) -> Project | None:
    return Project.objects.select_related("programme").filter(code=str(options.get("project", ""))).first()


class PlanImporter(Importer):
    kind = KIND
    title = gettext_lazy("A project's plan (work breakdown)")
    description = gettext_lazy(
        "Each row is an item of the plan: its WBS number (1, 1.1, 1.1.2…), kind, title, executor, responsible "
        "person, planned dates, budget and predecessors (like 1.1FS+2; 1.3SS). A file with any wrong row stores "
        "nothing. A project that already has a plan takes the rows only when asked to append or replace.")
    options = ("project",)
    token_scope = "projects:write"  # noqa: S105 — a scope name, not a secret

    def columns(self, *, options: dict) -> list[Column]:
        return wbsrows.columns()

    def allowed(self, actor, *, options: dict) -> bool:
        project = _project(options)
        return bool(project is not None and actor.has_perm("projects.edit_project", project))

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        kind = None
        for name, parse in (("wbs", wbsrows.parse_wbs), ("kind", wbsrows.parse_kind),
                            ("predecessors", wbsrows.parse_predecessors), ("executor", wbsrows.organisation_for),
                            ("responsible", wbsrows.person_for)):
            if name in ("executor", "responsible") and not (row.get(name) or "").strip():
                continue
            try:
                value = parse(wbsrows.unescape(row.get(name)))
            except ValueError as exc:
                errors[name] = str(exc)
            else:
                kind = value if name == "kind" else kind
        if not (row.get("title") or "").strip():
            errors["title"] = _("A title is required.")
        start, finish = row.get("planned_start"), row.get("planned_finish")
        if start is None and kind != WorkItem.Kind.CONTROL_POINT:
            errors["planned_start"] = _("A start is required (only a control point has a finish alone).")
        elif start is not None and finish is not None and finish < start and kind != WorkItem.Kind.CONTROL_POINT:
            errors["planned_finish"] = _("The finish cannot be earlier than the start.")
        if row.get("budget_planned") is not None:
            try:
                money(row["budget_planned"], "budget_planned")
            except ValidationError as exc:
                errors["budget_planned"] = exc.messages[0]
        return errors

    def check_rows(self, rows: list[tuple[int, dict]], *, actor, options: dict,
                   failed: frozenset[int]) -> list[RowError]:
        """The plan as a whole (``planload.check``), once every row is right on its own."""
        if failed:
            return []
        try:
            planload.check([{name: wbsrows.unescape(value) for name, value in row.items()} for _line, row in rows])
        except planload.PlanErrors as exc:
            return [RowError(rows[index][0], column, value, reason) for index, column, value, reason in exc.errors]
        return []

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        project = _project(options)
        organisations: dict[str, object] = {}
        people: dict[str, object] = {}
        for row in rows:
            for name, value in row.items():
                row[name] = wbsrows.unescape(value)
            executor, person = (row.get("executor") or "").strip(), (row.get("responsible") or "").strip()
            if executor and executor not in organisations:
                organisations[executor] = wbsrows.organisation_for(executor)
            if person and person.lower() not in people:
                people[person.lower()] = wbsrows.person_for(person)
            row["organisation"] = organisations.get(executor)
            row["person"] = people.get(person.lower())
        return planload.store(project, rows, actor=actor, mode=str(options.get("mode", "")),
                              source=str(options.get("format", "")) or record.source_format, record_id=record.pk)

    def result_url(self, *, options: dict, summary: dict) -> str:
        return reverse("projects:project", args=[options["project"]])


register(PlanImporter())
