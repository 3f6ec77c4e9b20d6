"""A periodic report from a file, through the import kernel: one row per value (indicator code, municipality
code or empty for the organisation's total, value). A file with any broken row stores nothing; a good one is
submitted as the report (``services.report_submit``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column
from krai.monitoring.indicators import selectors
from krai.monitoring.indicators.models import Report
from krai.org.models import Municipality

KIND = "indicators.report"


def _report(options: dict) -> Report | None:
    pk = str(options.get("report", ""))
    return Report.objects.select_related("organisation").filter(pk=int(pk)).first() if pk.isdigit() else None


class ReportImporter(Importer):
    kind = KIND
    title = _("A periodic report on target indicators")
    description = _("Each row is one value of the report: the indicator's code, the municipality's code (empty for "
                    "the organisation's total) and the value. A resubmission replaces the report's values.")
    options = ("report",)
    token_scope = "monitoring:write"  # noqa: S105 — a scope name, not a secret

    def columns(self, *, options: dict) -> list[Column]:
        return [
            Column("indicator", "string", required=True, title="Код показателя", title_en="Indicator code",
                   aliases=("показатель", "код", "indicator_code", "code"), max_length=64),
            Column("municipality", "string", title="Код муниципалитета", title_en="Municipality code",
                   aliases=("муниципалитет", "municipality_code", "мо"), max_length=64),
            Column("value", "number", required=True, title="Значение", title_en="Value",
                   aliases=("факт", "actual", "значение показателя")),
        ]

    def allowed(self, actor, *, options: dict) -> bool:
        report = _report(options)
        return report is not None and actor.has_perm("indicators.submit_report", report)

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        report = _report(options)
        errors = {}
        codes = set(selectors.report_indicators(report).values_list("code", flat=True)) if report else set()
        if row.get("indicator") not in codes:
            errors["indicator"] = str(_("no such indicator in this organisation's report"))
        code = (row.get("municipality") or "").strip()
        if code and not Municipality.objects.filter(code=code).exists():
            errors["municipality"] = str(_("no municipality with this code"))
        return errors

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        from krai.monitoring.indicators import services  # late: services import this app's modules

        report = _report(options)
        indicators = {i.code: i for i in selectors.report_indicators(report)}
        places = {m.code: m for m in Municipality.objects.filter(
            code__in={(r.get("municipality") or "").strip() for r in rows} - {""})}
        values = [(indicators[r["indicator"]], places.get((r.get("municipality") or "").strip()), r["value"])
                  for r in rows]
        services.report_submit(actor=actor, report=report, values=values)
        record_event(kind="indicators.report_imported", actor=actor, subject=report,
                     payload={"rows": len(rows), "import": record.pk})
        return {"values": len(rows)}

    def result_url(self, *, options: dict, summary: dict) -> str:
        return reverse("monitoring:indicators:report", args=[options["report"]])


register(ReportImporter())
