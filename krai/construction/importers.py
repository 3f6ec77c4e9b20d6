"""Construction's importers, registered with the import kernel (``docs/imports.md``): ``construction.illegal``,
a table of illegal constructions (an inspection body's register, a municipality's list).

Each row is one construction: its address (required), the municipality (name or code; optional), a point (both
coordinates or neither, inside the region), the cadastral number, a description, the owner, the date it was found
(required), its status (a code, or its label in Russian or English) and at most one measure taken (its kind,
date, document number and, for a fine, the amount). Rows are checked one by one, then against each other and the
registry (the same address and date twice is an error); any error stores nothing. Rows without a point are placed
by the geocoder when it finds the address, otherwise kept and flagged "address not found"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.construction import policy
from krai.construction.models import IllegalConstruction, IllegalStatus, MeasureKind
from krai.construction.selectors import illegal as selectors
from krai.construction.services import illegal as services
from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column, RowError
from krai.org.models import Municipality

KIND = "construction.illegal"

#: the municipalities by name and code, read once per import (the kernel hands every row the same options)
_index_cache: tuple[Any, dict[str, Municipality]] = (None, {})


def _municipalities(options: dict) -> dict[str, Municipality]:
    global _index_cache
    cached = _index_cache
    if cached[0] is not options:
        cached = (options, selectors.municipality_index())
        _index_cache = cached
    return cached[1]


def _municipality(row: dict, options: dict) -> Municipality | None:
    text = selectors.fold(row.get("municipality"))
    return _municipalities(options).get(text) if text else None


def _key(row: dict) -> tuple[str, Any]:
    return selectors.fold(row.get("address")), row.get("found_on")


class IllegalImporter(Importer):
    kind = KIND
    title = gettext_lazy("Illegal constructions")
    description = gettext_lazy(
        "Each row is an illegal construction: its address, the date it was found and, when known, the "
        "municipality, the point, the cadastral number, the owner, the status and one measure taken (a demolition "
        "order, a court case, a fine with its amount, legalised, demolished). Rows without a point are placed by "
        "the address registry; an address it does not find is kept and flagged. A file with any wrong row stores "
        "nothing.")
    token_scope = "construction:write"  # noqa: S105 — a scope name, not a secret

    def columns(self, *, options: dict) -> list[Column]:
        return [
            Column("address", required=True, title="Адрес", title_en="Address", max_length=300,
                   aliases=("адрес объекта", "местоположение", "адрес местоположения")),
            Column("municipality", title="Муниципальное образование", title_en="Municipality",
                   aliases=("мо", "район", "городской округ", "код мо")),
            Column("lat", type="number", title="Широта", title_en="Latitude", minimum=-90, maximum=90,
                   aliases=("latitude",)),
            Column("lon", type="number", title="Долгота", title_en="Longitude", minimum=-180, maximum=180,
                   aliases=("longitude", "lng")),
            Column("cadastral_number", title="Кадастровый номер", title_en="Cadastral number", max_length=40,
                   aliases=("кадастровый номер участка", "кн")),
            Column("description", title="Описание", title_en="Description", max_length=services.TEXT_MAX,
                   aliases=("описание нарушения", "характеристика")),
            Column("owner", title="Владелец (застройщик)", title_en="Owner or builder", max_length=300,
                   aliases=("владелец", "застройщик", "собственник")),
            Column("found_on", type="date", required=True, title="Дата выявления", title_en="Found on",
                   aliases=("дата обнаружения",)),
            Column("status", title="Статус", title_en="Status", aliases=("состояние",)),
            Column("measure", title="Мера", title_en="Measure", aliases=("принятая мера", "вид меры")),
            Column("measure_date", type="date", title="Дата меры", title_en="Measure date",
                   aliases=("дата принятия меры",)),
            Column("measure_number", title="Номер документа", title_en="Document number", max_length=64,
                   aliases=("номер меры", "№ документа")),
            Column("fine_amount", type="number", title="Сумма штрафа", title_en="Fine amount", minimum=0,
                   aliases=("штраф", "сумма штрафа, руб")),
        ]

    def allowed(self, actor: Any, *, options: dict) -> bool:
        return policy.is_keeper(actor)

    def check_row(self, row: dict, *, actor: Any, options: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        municipality = _municipality(row, options)
        if row.get("municipality") and municipality is None:
            errors["municipality"] = _("No such municipality: give its name or code.")
        lat, lon = row.get("lat"), row.get("lon")
        if (lat is None) != (lon is None):
            errors["lat" if lat is None else "lon"] = _("Give both the latitude and the longitude, or neither.")
        elif lat is not None and "municipality" not in errors:
            try:
                selectors.point_municipality(lat, lon, municipality=municipality)
            except ValidationError as exc:
                errors["lat"] = exc.messages[0]
        cadastral = (row.get("cadastral_number") or "").replace(" ", "")
        if cadastral and not services.CADASTRAL.match(cadastral):
            errors["cadastral_number"] = _("A cadastral number is written like 23:43:0301001:123.")
        today = timezone.localdate()
        found_on = row.get("found_on")
        if found_on and found_on > today:
            errors["found_on"] = _("The date cannot be in the future.")
        if row.get("status") and selectors.status_from_text(row["status"]) is None:
            errors["status"] = _("Unknown status: use one of %(names)s.") % {
                "names": ", ".join(str(label) for label in IllegalStatus.labels)}
        errors.update(self._measure_errors(row, found_on, today))
        return errors

    def _measure_errors(self, row: dict, found_on: Any, today: Any) -> dict[str, str]:
        errors: dict[str, str] = {}
        kind = selectors.measure_kind_from_text(row.get("measure")) if row.get("measure") else None
        taken_on, amount = row.get("measure_date"), row.get("fine_amount")
        if row.get("measure") and kind is None:
            errors["measure"] = _("Unknown measure: use one of %(names)s.") % {
                "names": ", ".join(str(label) for label in MeasureKind.labels)}
        if not row.get("measure") and (taken_on or amount is not None or row.get("measure_number")):
            errors["measure"] = _("Name the measure the date, number or amount belong to.")
        if row.get("measure") and taken_on is None:
            errors["measure_date"] = _("Give the date the measure was taken.")
        elif taken_on and taken_on > today:
            errors["measure_date"] = _("The date cannot be in the future.")
        elif taken_on and found_on and taken_on < found_on:
            errors["measure_date"] = _("A measure cannot be taken before the construction was found.")
        if kind == MeasureKind.FINE and not amount:
            errors["fine_amount"] = _("Give the fine's amount.")
        elif kind is not None and kind != MeasureKind.FINE and amount is not None:
            errors["fine_amount"] = _("An amount goes with a fine only.")
        return errors

    def check_rows(self, rows: list[tuple[int, dict]], *, actor: Any, options: dict,
                   failed: frozenset[int]) -> list[RowError]:
        """The same address found on the same day twice in the file, or already in the registry."""
        errors: list[RowError] = []
        seen: dict[tuple[str, Any], int] = {}
        for line, row in rows:
            key = _key(row)
            if key in seen:
                errors.append(RowError(line, "address", row.get("address") or "",
                                       _("The same address and date as row %(line)s.") % {"line": seen[key]}))
            else:
                seen[key] = line
        dates = sorted({key[1] for key in seen if key[1] is not None})
        stored: dict[tuple[str, Any], int] = {}
        for start in range(0, len(dates), 500):  # a bounded IN list per query, however long the file
            stored.update({(selectors.fold(address), found_on): pk for pk, address, found_on in
                           IllegalConstruction.objects.filter(found_on__in=dates[start:start + 500])
                           .values_list("pk", "address", "found_on")})
        by_line = dict(rows)
        for key, line in seen.items():
            if key in stored:
                errors.append(RowError(line, "address", by_line[line].get("address") or "",
                                       _("Already in the registry (№ %(n)s) with this date.") % {"n": stored[key]}))
        return errors

    def store(self, rows: list[dict], *, actor: Any, options: dict, record: Any) -> dict:
        entries = []
        for row in rows:
            kind = selectors.measure_kind_from_text(row.get("measure")) if row.get("measure") else None
            entries.append({
                "address": row["address"], "found_on": row["found_on"], "lat": row.get("lat"),
                "lon": row.get("lon"), "municipality": _municipality(row, options),
                "cadastral_number": (row.get("cadastral_number") or "").replace(" ", ""),
                "description": row.get("description") or "", "owner": row.get("owner") or "",
                "status": selectors.status_from_text(row.get("status")) or IllegalStatus.IDENTIFIED,
                "measure": {"kind": kind, "taken_on": row.get("measure_date"),
                            "number": row.get("measure_number") or "", "amount": row.get("fine_amount")}
                if kind else None})
        summary = services.illegal_import(actor=actor, rows=entries, record=record)
        return {**summary, "import_id": record.pk}

    def result_url(self, *, options: dict, summary: dict) -> str:
        url = reverse("construction:illegal_list")
        return f"{url}?import_id={summary['import_id']}" if summary.get("import_id") else url


register(IllegalImporter())
