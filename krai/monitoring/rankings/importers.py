"""An edition of a rating as an importer of the kernel: one row per region (its code or its name), its place, a
shared place's end, its score and one sub-score per direction of the rating. Options: ``rating`` (its code),
``year``, and ``quarter`` for a quarterly rating (optional: ``published_on``, ``source_url``, ``regions_count``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column, RowError
from krai.monitoring.rankings import regions, services
from krai.monitoring.rankings.models import Rating, RussianRegion

KIND = "rankings.edition"
SUB = "sub_"


def _rating(options: dict) -> Rating | None:
    return Rating.objects.filter(code=options.get("rating", "")).first()


def _lookup() -> tuple[dict[str, RussianRegion], dict[str, RussianRegion]]:
    by_code = {r.code: r for r in RussianRegion.objects.all()}
    by_name: dict[str, RussianRegion] = {}
    for code, name, _name_en, short in regions.REGIONS:
        if code in by_code:
            for key in regions.keys_of(name, short):
                by_name[key] = by_code[code]
    for region in by_code.values():  # a region renamed in the table still matches by its stored name
        for key in regions.keys_of(region.name):
            by_name.setdefault(key, region)
    return by_code, by_name


def find_region(value: object, lookup=None) -> RussianRegion | None:
    """A region by its code ("23", "1") or its name in any usual spelling ("Краснодарский край", "г. Москва",
    "Москва", "Республика Саха (Якутия)", "Якутия")."""
    by_code, by_name = lookup or _lookup()
    code = regions.code_of(value)
    if code is not None:
        return by_code.get(code)
    for key in sorted(regions.keys_of(str(value or ""))):
        if key in by_name:
            return by_name[key]
    return None


def _size(rows: list[dict]) -> int:
    """The edition's number of regions when the options do not say: the rows, or the last place if a partial
    table reaches further."""
    return max([len(rows)] + [row.get("place_to") or row["place"] for row in rows])


class EditionImporter(Importer):
    kind = KIND
    title = gettext_lazy("An edition of a federal rating")
    description = gettext_lazy("Every region's place in one edition of a rating: the region (code or name), the "
                               "place, the end of a shared place, the score and the sub-scores by direction.")
    options = ("rating", "year")
    token_scope = "monitoring:write"  # noqa: S105 — a scope name, not a secret

    def columns(self, *, options: dict) -> list[Column]:
        rating = _rating(options)
        columns = [
            Column("region", "string", required=True, title="Регион", title_en="Region", max_length=200,
                   aliases=("Субъект РФ", "Субъект", "Код региона", "Код", "Наименование субъекта", "region_code")),
            Column("place", "integer", required=True, title="Место", title_en="Place",
                   aliases=("Место в рейтинге", "Ранг", "rank")),
            Column("place_to", "integer", title="Место по", title_en="Shared place up to",
                   aliases=("Место до", "place to")),
            Column("score", "number", title="Балл", title_en="Score", aliases=("Итоговый балл", "Индекс", "Значение")),
        ]
        for direction in (rating.directions if rating else []):
            columns.append(Column(SUB + direction["code"], "number", title=direction["name"],
                                  title_en=direction["code"], aliases=(direction["code"],)))
        return columns

    def allowed(self, actor, *, options: dict) -> bool:
        rating = _rating(options)
        return rating is not None and actor.has_perm("rankings.add_edition", rating)

    def _count(self, options: dict) -> int:
        value = str(options.get("regions_count") or "")
        return int(value) if value.isdigit() and int(value) > 0 else RussianRegion.objects.count()

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        count, place, place_to = self._count(options), row.get("place"), row.get("place_to")
        if place is not None and not 1 <= place <= count:
            errors["place"] = _("The place must be from 1 to %(n)s.") % {"n": count}
        if place_to is not None and place is not None and not place <= place_to <= count:
            errors["place_to"] = _("A shared place ends at or after its start, at most at %(n)s.") % {"n": count}
        return errors

    def check_rows(self, rows: list[tuple[int, dict]], *, actor, options: dict,
                   failed: frozenset[int]) -> list[RowError]:
        """Every row's region, found with one lookup for the file: a row naming no region, or a region an
        earlier row already gave, is refused on its line."""
        lookup = _lookup()
        seen: set[int] = set()
        errors: list[RowError] = []
        for line, row in rows:
            region, value = find_region(row.get("region"), lookup), str(row.get("region") or "")
            if region is None:
                errors.append(RowError(line, "region", value, _("No region of Russia has this code or name.")))
            elif region.pk in seen:
                errors.append(RowError(line, "region", value, _("This region is already in the file.")))
            else:
                seen.add(region.pk)
        return errors

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        rating = _rating(options)
        lookup = _lookup()
        places = [{"region": find_region(row["region"], lookup), "place": row["place"],
                   "place_to": row.get("place_to"), "score": row.get("score"),
                   "subscores": {k[len(SUB):]: v for k, v in row.items() if k.startswith(SUB) and v is not None}}
                  for row in rows]
        published = options.get("published_on") or None
        try:
            published_on = dt.date.fromisoformat(published) if published else None
        except ValueError:
            raise ValidationError({"published_on": _("A date as YYYY-MM-DD.")}) from None
        edition = services.edition_create(
            actor=actor, rating=rating, year=options.get("year"), quarter=options.get("quarter") or None,
            regions_count=options.get("regions_count") or _size(rows), places=places, published_on=published_on,
            source_url=options.get("source_url", ""), replace=True, import_id=record.pk)
        return {"edition": edition.pk, "period": edition.period, "created": len(places)}

    def result_url(self, *, options: dict, summary: dict) -> str:
        if summary.get("edition"):
            return reverse("monitoring:rankings:edition", args=[options["rating"], summary["edition"]])
        return reverse("monitoring:rankings:rating", args=[options["rating"]])


register(EditionImporter())
