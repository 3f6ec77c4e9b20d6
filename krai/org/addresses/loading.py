"""Reading and storing address rows: rows of a CSV (the national register's export or an OpenStreetMap extract).

Each row names a municipality (its code or name; empty: found from the point), a locality, a street (empty
for a place whose houses have none), a house and the point. Loading is an upsert by (municipality, locality,
street, house) in their normalised spellings, so loading a newer export again moves houses and adds new ones
without doubling anything. Every row is checked first; with a bad row nothing is written unless the caller
asks to skip the bad rows (a national export always has a few houses without coordinates).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg
from django.utils.translation import gettext as _

from krai.org import geo
from krai.org.addresses.models import Address, Street, cell_of
from krai.org.addresses.normalise import fold, house_key, name_key, street_words
from krai.org.models import Municipality

BATCH = 2000

#: the column names accepted for each field (FIAS/GAR-style Russian headers, OSM's addr:* tags, plain English)
COLUMNS = {
    "municipality": ("municipality", "municipal_district", "муниципальное образование", "мо", "район"),
    "locality": ("locality", "city", "settlement", "place", "addr:city", "addr:place", "населенный пункт",
                 "населённый пункт", "нп"),
    "street": ("street", "addr:street", "улица"),
    "house": ("house", "housenumber", "house_number", "addr:housenumber", "дом", "номер дома"),
    "lat": ("lat", "latitude", "y", "широта"),
    "lon": ("lon", "lng", "long", "longitude", "x", "долгота"),
    "source_id": ("id", "source_id", "guid", "objectguid", "houseguid", "osm_id", "@id"),
}


@dataclass
class LoadResult:
    rows: int = 0
    loaded: int = 0
    streets_added: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    municipality_id: int
    locality: str
    street: str
    house: str
    lat: float
    lon: float
    source_id: str


def column_map(header: Iterable[str]) -> dict[str, str]:
    """Which column of the file holds each field; raises ValidationError naming the missing ones."""
    by_name = {fold(name).replace(" ", "") if name else "": name for name in header}
    found: dict[str, str] = {}
    for field_name, aliases in COLUMNS.items():
        for alias in aliases:
            key = fold(alias).replace(" ", "")
            if key in by_name:
                found[field_name] = by_name[key]
                break
    missing = [name for name in ("locality", "house", "lat", "lon") if name not in found]
    if missing:
        raise ValidationError(_("The file has no column for: %(names)s (expected columns: municipality, locality, "
                                "street, house, lat, lon).") % {"names": ", ".join(missing)})
    return found


class _Municipalities:
    """Finds a row's municipality by code or name, or by its point."""

    def __init__(self) -> None:
        self.by_name: dict[str, int] = {}
        self.centres: dict[int, str] = {}
        for pk, code, name, centre in Municipality.objects.filter(is_active=True).values_list(
                "pk", "code", "name", "admin_centre"):
            self.centres[pk] = centre or name
            for value in (code, name, name_key(name), centre):
                if value:
                    self.by_name.setdefault(fold(value), pk)

    def find(self, value: str, lat: float, lon: float) -> int | None:
        if value:
            found = self.by_name.get(fold(value)) or self.by_name.get(name_key(value))
            if found:
                return found
        return geo.locate(lon, lat)


def _float(value: Any) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def check_rows(rows: Iterable[Mapping[str, Any]], *, first_line: int = 2) -> tuple[list[Row], LoadResult]:
    """Prove every row (field names as in ``COLUMNS``' keys); return the good ones and the errors by line."""
    result = LoadResult()
    municipalities = _Municipalities()
    good: list[Row] = []
    for line, raw in enumerate(rows, start=first_line):
        result.rows += 1
        locality = str(raw.get("locality") or "").strip()[:200]
        street = str(raw.get("street") or "").strip()[:200]
        house = str(raw.get("house") or "").strip()[:40]
        lat, lon = _float(raw.get("lat")), _float(raw.get("lon"))
        if not house or not house_key(house):
            result.errors.append((line, _("no house number")))
            continue
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            result.errors.append((line, _("no valid lat and lon")))
            continue
        municipality = municipalities.find(str(raw.get("municipality") or "").strip(), lat, lon)
        if municipality is None:
            result.errors.append((line, _("the municipality is unknown and the point lies outside the region")))
            continue
        good.append(Row(municipality, locality or municipalities.centres.get(municipality, ""), street, house, lat, lon,
                        str(raw.get("source_id") or "").strip()[:64]))
    return good, result


def _street_fields(row: Row) -> tuple[int, str, str, str]:
    kind, words = street_words(row.street)
    return row.municipality_id, name_key(row.locality), kind, " ".join(words)


def store_rows(rows: list[Row]) -> tuple[int, int]:
    """Upsert the proven rows (streets, then houses, in batches); returns (houses written, streets added).

    Used by ``addresses_load`` and by the demo loader (seeded data records no event)."""
    keys = {_street_fields(row): row for row in rows}
    municipality_ids = {key[0] for key in keys}
    known = {(s.municipality_id, s.locality_key, s.kind, s.key): s.pk
             for s in Street.objects.filter(municipality_id__in=municipality_ids)}
    new = []
    for key, row in keys.items():
        if key not in known:
            locality_key, kind, name = key[1], key[2], key[3]
            new.append(Street(municipality_id=key[0], locality=row.locality, name=row.street, kind=kind,
                              locality_key=locality_key, key=name, words=f" {locality_key} {name} "))
    Street.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    if new:
        known = {(s.municipality_id, s.locality_key, s.kind, s.key): s.pk
                 for s in Street.objects.filter(municipality_id__in=municipality_ids)}
    houses = {}
    for row in rows:  # the last row for a house wins, as in the file
        street_id = known[_street_fields(row)]
        hk = house_key(row.house)
        houses[(street_id, hk)] = Address(street_id=street_id, house=row.house, house_key=hk, lat=row.lat,
                                          lon=row.lon, cell=cell_of(row.lat, row.lon), source_id=row.source_id)
    Address.objects.bulk_create(list(houses.values()), batch_size=BATCH, update_conflicts=True,
                                unique_fields=["street", "house_key"],
                                update_fields=["house", "lat", "lon", "cell", "source_id"])
    touched = sorted({street_id for street_id, _hk in houses})
    for start in range(0, len(touched), BATCH):
        chunk = touched[start:start + BATCH]
        middles = Address.objects.filter(street_id__in=chunk).values("street_id").annotate(lat=Avg("lat"),
                                                                                              lon=Avg("lon"))
        streets = [Street(pk=m["street_id"], lat=m["lat"], lon=m["lon"]) for m in middles]
        Street.objects.bulk_update(streets, ["lat", "lon"], batch_size=BATCH)
    return len(houses), len(new)


