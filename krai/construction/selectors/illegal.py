"""Reads of the registry of illegal constructions (public: anyone sees every entry): the list with its filters,
one entry with its measures, the report's rows and counts, the entries linked to a registered object; where a
typed address or a point lies (the geocoder and the municipalities' boundaries); the words people and files use
for a status or a measure; what the public sees of an owner (an organisation's name; a person's never)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import IllegalConstruction, IllegalStatus, Location, Measure, MeasureKind
from krai.org.addresses import selectors as geocoder
from krai.org.addresses.normalise import parse_query
from krai.org.models import Municipality
from krai.org.selectors import municipality_at, municipality_list

# --- the list, one entry, the report ---------------------------------------------------------------------


def illegal_list(*, municipality: Any = None, status: str = "", source: str = "", found_from: date | None = None,
                 found_to: date | None = None, not_found: bool = False, import_id: int | None = None,
                 q: str = "") -> QuerySet[IllegalConstruction]:
    """The registry's entries by municipality, status, source, the period they were found in, the flag "address
    not found", the import they came from and words of the address or the cadastral number; newest first."""
    rows = IllegalConstruction.objects.select_related("municipality")
    if municipality:
        rows = rows.filter(municipality=municipality)
    if status:
        rows = rows.filter(status=status)
    if source:
        rows = rows.filter(source=source)
    if found_from:
        rows = rows.filter(found_on__gte=found_from)
    if found_to:
        rows = rows.filter(found_on__lte=found_to)
    if not_found:
        rows = rows.filter(location=Location.NOT_FOUND)
    if import_id:
        rows = rows.filter(import_record_id=import_id)
    for word in (q or "").split()[:8]:
        rows = rows.filter(Q(address__icontains=word) | Q(cadastral_number__icontains=word))
    return rows


def illegal_for(user: Any, pk: Any) -> IllegalConstruction:
    """One entry with its measures (the registry is public); missing → 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    entry = (IllegalConstruction.objects.select_related("municipality", "verification", "object", "import_record")
             .prefetch_related(Prefetch("measures", Measure.objects.select_related("court_case")))
             .filter(pk=pk).first())
    if entry is None:
        raise Http404
    return entry


def report_rows(*, municipality: Any = None, found_from: date | None = None,
                found_to: date | None = None) -> QuerySet[IllegalConstruction]:
    """The report's rows: by municipality, then the date found, with their measures."""
    return (illegal_list(municipality=municipality, found_from=found_from, found_to=found_to)
            .prefetch_related("measures").order_by("municipality__name", "found_on", "id"))


@dataclass(frozen=True)
class CountRow:
    municipality: str
    by_status: dict[str, int]
    total: int


def report_counts(*, municipality: Any = None, found_from: date | None = None,
                  found_to: date | None = None) -> list[CountRow]:
    """How many entries each municipality has, by status (entries without a municipality under "—")."""
    rows = (illegal_list(municipality=municipality, found_from=found_from, found_to=found_to)
            .order_by().values("municipality__name", "status").annotate(n=Count("id")))
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["municipality__name"] or "—", {})[row["status"]] = row["n"]
    return [CountRow(name, {s: counts.get(s, 0) for s in IllegalStatus.values}, sum(counts.values()))
            for name, counts in sorted(table.items(), key=lambda item: (item[0] == "—", item[0]))]


def for_object(construction_object: Any) -> QuerySet[IllegalConstruction]:
    """The illegal constructions linked to a registered object."""
    if construction_object is None or getattr(construction_object, "pk", None) is None:
        return IllegalConstruction.objects.none()
    return illegal_list().filter(object=construction_object).prefetch_related("measures")


def map_points(rows: QuerySet[IllegalConstruction], *, limit: int) -> list[dict[str, Any]]:
    """The entries with a point, for the list's map (at most ``limit``)."""
    return [{"id": e.pk, "lat": round(e.lat, 6), "lon": round(e.lon, 6), "status": e.status,
             "address": e.address, "status_label": str(e.get_status_display())}
            for e in rows.filter(lat__isnull=False)[:limit]]


# --- what the public sees of an owner --------------------------------------------------------------------

#: legal forms and kinds of bodies that make an owner an organisation (a person's name is personal data)
_ORGANISATION = re.compile(
    r"(?<![\w])(ооо|оао|зао|пао|нао|ао|гуп|муп|фгуп|гбу|мбу|мку|гку|гау|мау|фгбу|ано|нко|тсж|тсн|жск|снт|днт|"
    r"спк|пк|ук|llc|ltd|jsc|inc)(?![\w])"
    r"|общество с ограниченной|акционерное общество|товарищество|кооператив|учреждение|предприятие|"
    r"администрация|фонд|корпорация|компания|управляющая", re.IGNORECASE)
#: an individual entrepreneur is a person: his name stays hidden whatever follows
_ENTREPRENEUR = re.compile(r"(?<![\w])(ип|индивидуальный предприниматель|кфх|глава кфх)(?![\w])", re.IGNORECASE)


def is_organisation(owner: str) -> bool:
    text = (owner or "").replace("ё", "е").replace("Ё", "Е")
    return bool(_ORGANISATION.search(text)) and not _ENTREPRENEUR.search(text)


def public_owner(owner: str) -> str:
    """The owner as the public reads him: an organisation by its name; a person (or an entrepreneur) not at
    all — the registry publishes the site and the measures, not the people."""
    return owner if owner and is_organisation(owner) else ""


def owner_for(user: Any, owner: str) -> str:
    """The owner as ``user`` may read him: in full for the registry's keepers, ``public_owner`` for others."""
    return owner if policy.is_keeper(user) else public_owner(owner)


# --- where an address or a point lies --------------------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    lat: float | None
    lon: float | None
    municipality: Municipality | None
    location: str


def point_municipality(lat: float, lon: float, *, municipality: Municipality | None = None) -> Municipality:
    """The municipality holding the point; ValidationError (by ``lat``) when it is outside the region or outside
    the ``municipality`` named with it."""
    try:
        found = municipality_at(float(lon), float(lat))
    except (TypeError, ValueError, ValidationError):
        found = None
    if found is None:
        message = (_("The point is outside the region; latitude and longitude seem swapped.") if _swapped(lat, lon)
                   else _("The point is outside the region."))
        raise ValidationError({"lat": message}, code="outside")
    if municipality is not None and found.pk != municipality.pk:
        raise ValidationError({"lat": _("The point lies in %(found)s, not in %(named)s.")
                               % {"found": found.name, "named": municipality.name}}, code="elsewhere")
    return found


def _swapped(lat: Any, lon: Any) -> bool:
    """Would the point be inside the region with its latitude and longitude exchanged?"""
    try:
        return municipality_at(float(lat), float(lon)) is not None
    except (TypeError, ValueError, ValidationError):
        return False


def geocode(address: str, *, municipality: Municipality | None = None) -> geocoder.Place | None:
    """The registry's place for a typed address: the best house (or the street, when no house is named), inside
    the named municipality if one is; ``None`` rather than a place that is only near."""
    places = geocoder.search(address, municipality_id=municipality.pk if municipality else None, limit=3)
    if not places:
        return None
    best = places[0]
    if best.kind != "house" and parse_query(address).house:
        return None  # the house is not in the registry: the street's middle could be far from the site
    if municipality is not None and best.municipality_id != municipality.pk:
        return None
    return best


def locate(*, address: str, lat: float | None, lon: float | None,
           municipality: Municipality | None = None) -> Placement:
    """Where an entry is: its own point (checked inside the region), else the address's place from the geocoder,
    else no point and the flag ``not_found``; the municipality follows the point when none is named."""
    if lat is not None and lon is not None:
        found = point_municipality(lat, lon, municipality=municipality)
        return Placement(float(lat), float(lon), municipality or found, Location.GIVEN)
    place = geocode(address, municipality=municipality)
    if place is None:
        return Placement(None, None, municipality, Location.NOT_FOUND)
    if municipality is None:
        municipality = Municipality.objects.filter(pk=place.municipality_id).first()
    return Placement(place.lat, place.lon, municipality, Location.GEOCODED)


# --- the words of files and people -----------------------------------------------------------------------

def fold(text: Any) -> str:
    return re.sub(r"[\s.,;:«»\"']+", " ", str(text or "").lower().replace("ё", "е")).strip()


STATUS_WORDS = {
    "выявлено": "identified", "выявлен": "identified", "выявлена": "identified", "новое": "identified",
    "меры": "measures", "меры принимаются": "measures", "принимаются меры": "measures",
    "принятие мер": "measures", "в работе": "measures",
    "снесено": "demolished", "снесен": "demolished", "снесена": "demolished", "снос": "demolished",
    "демонтировано": "demolished",
    "узаконено": "legalised", "узаконен": "legalised", "легализовано": "legalised", "легализация": "legalised",
    "legalized": "legalised", "measures under way": "measures",
}
MEASURE_WORDS = {
    "предписание о сносе": "demolition_order", "предписание": "demolition_order",
    "решение о сносе": "demolition_order", "уведомление о сносе": "demolition_order",
    "судебное дело": "court_case", "суд": "court_case", "иск": "court_case", "судебный иск": "court_case",
    "штраф": "fine", "административный штраф": "fine",
    "узаконено": "legalised", "легализация": "legalised", "легализовано": "legalised", "legalized": "legalised",
    "снесено": "demolished", "снос": "demolished", "демонтаж": "demolished", "демонтировано": "demolished",
    "другое": "other", "иное": "other", "иная мера": "other",
}


def _choice(text: Any, choices: Any, words: dict[str, str]) -> str | None:
    """A code from its code, its English label, its label in Russian or a common Russian word for it."""
    value = fold(text)
    if not value:
        return None
    if value in words:
        return words[value]
    for code, label in choices:
        with translation.override("ru"):
            russian = fold(label)
        with translation.override("en"):
            english = fold(label)
        if value in (fold(code), english, russian, fold(code).replace("_", " ")):
            return code
    return None


def status_from_text(text: Any) -> str | None:
    return _choice(text, IllegalStatus.choices, STATUS_WORDS)


def measure_kind_from_text(text: Any) -> str | None:
    return _choice(text, MeasureKind.choices, MEASURE_WORDS)


def municipality_index() -> dict[str, Municipality]:
    """The active municipalities by their code, name and English name as a file writes them (folded)."""
    index: dict[str, Municipality] = {}
    for item in municipality_list():
        for key in (item.code, item.name, item.name_en):
            if key:
                index.setdefault(fold(key), item)
    return index


# --- court cases a measure may link ----------------------------------------------------------------------

def court_cases_for(user: Any) -> QuerySet:
    """The court cases of the lawsuit monitoring ``user`` may see (the measure's picker offers these)."""
    from krai.monitoring.lawsuits.selectors import cases_visible_to

    return cases_visible_to(user).select_related("organisation").order_by("-filed_on", "-id")


def court_case_visible(user: Any, case: Any) -> bool:
    """May ``user`` open the case's page in the lawsuit monitoring?"""
    return bool(case is not None and user.is_authenticated and user.has_perm("monitoring.access")
                and user.has_perm("lawsuits.view_courtcase", case))


# --- open data -------------------------------------------------------------------------------------------

def open_rows() -> Any:
    """Every entry as the open dataset publishes it: no person's name (an owner only when an organisation), the
    measures in a line, the fines' total."""
    rows = (IllegalConstruction.objects.select_related("municipality")
            .prefetch_related(Prefetch("measures", Measure.objects.order_by("taken_on", "id"))).order_by("pk"))
    for entry in rows.iterator(chunk_size=1000):
        measures = list(entry.measures.all())
        fines = [m.amount for m in measures if m.kind == MeasureKind.FINE and m.amount is not None]
        last = measures[-1] if measures else None
        yield {"id": entry.pk, "address": entry.address,
               "municipality": entry.municipality.name if entry.municipality_id else "",
               "cadastral_number": entry.cadastral_number, "owner": public_owner(entry.owner),
               "found_on": entry.found_on, "status": str(entry.get_status_display()),
               "source": str(entry.get_source_display()), "location": str(entry.get_location_display()),
               "measures": "; ".join(f"{m.get_kind_display()} {m.taken_on:%d.%m.%Y}" for m in measures),
               "last_measure": str(last.get_kind_display()) if last else "",
               "last_measure_date": last.taken_on if last else None,
               "fines_total": float(sum(fines)) if fines else None,
               "lat": round(entry.lat, 6) if entry.lat is not None else None,
               "lon": round(entry.lon, 6) if entry.lon is not None else None,
               "updated": entry.updated_at.date()}
