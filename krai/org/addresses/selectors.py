"""The geocoder's reads: an address typed → ranked places; a point → the nearest house.

Search: the typed text is normalised (``normalise.parse_query``); streets whose locality or name has a word
beginning with every typed word are the candidates (the streets table is small, see ``models``); when none
has them all — a typo — streets sharing the first three letters of the longest word are taken and rapidfuzz
decides. Candidates are ranked by rapidfuzz's token-set ratio of the words (a street named exactly as typed
beats one that merely begins so), then by the kind named («пер.» ranks lanes first) and the resident's own
municipality; equal matches put the larger municipality first. A house number is then looked up by (street,
normalised number): exactly first, then the numbers that begin with it (12 → 12а, 12к1). These are public
reads: the registry is public data.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from django.db.models import Max, Min, Q
from rapidfuzz import fuzz

from krai.org.addresses.models import CELL_DEGREES, CELL_ROW, Address, Street, cell_of, cell_parts
from krai.org.addresses.normalise import parse_query
from krai.org.models import Municipality

MAX_CANDIDATES = 300
FUZZY_CANDIDATES = 3000
FUZZY_MINIMUM = 75
MAX_RESULTS = 20
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class Place:
    """One answer of the geocoder: a house, or a street when no house was asked for (its middle point)."""

    label: str
    kind: str  # "house" or "street"
    municipality_id: int
    municipality: str
    locality: str
    street: str
    house: str
    lat: float
    lon: float
    score: float = 0.0
    distance_m: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _street_place(street: Street, score: float) -> Place:
    return Place(label=street.label, kind="street", municipality_id=street.municipality_id,
                 municipality=street.municipality.name, locality=street.locality, street=street.name, house="",
                 lat=street.lat, lon=street.lon, score=round(score, 1))


def _house_place(street: Street, house: Address, score: float, distance: float | None = None) -> Place:
    return Place(label=f"{street.label}, {house.house}", kind="house", municipality_id=street.municipality_id,
                 municipality=street.municipality.name, locality=street.locality, street=street.name,
                 house=house.house, lat=house.lat, lon=house.lon, score=round(score, 1),
                 distance_m=None if distance is None else round(distance, 1))


def _streets(words: tuple[str, ...]) -> tuple[list[Street], bool]:
    """Candidate streets for the words, and whether they came from the fuzzy fallback."""
    base = Street.objects.filter(municipality__is_active=True).select_related("municipality")
    exact = base
    for word in words:
        exact = exact.filter(words__contains=f" {word}")
    found = list(exact.order_by("key", "id")[:MAX_CANDIDATES])
    if found:
        return found, False
    longest = max(words, key=len)
    if len(longest) < 4:
        return [], True
    return list(base.filter(words__contains=f" {longest[:3]}").order_by("id")[:FUZZY_CANDIDATES]), True


def search(text: str, *, municipality_id: int | None = None, limit: int = 10) -> list[Place]:
    """Places matching a typed address, best first (at most ``limit``, up to 20)."""
    query = parse_query(text or "")
    words = tuple(w for w in query.words if w)
    if not words or sum(len(w) for w in words) < 2:
        return []
    limit = max(1, min(int(limit), MAX_RESULTS))
    candidates, fuzzy = _streets(words)
    typed = " ".join(words)
    ranked: list[tuple[float, Street]] = []
    for street in candidates:
        name_score = fuzz.token_set_ratio(typed, street.key) if street.key else 0.0
        score = max(name_score, fuzz.token_set_ratio(typed, street.words.strip()))
        if fuzzy and score < FUZZY_MINIMUM:
            continue
        if query.kind:
            score += 5 if query.kind == street.kind else -5
        if municipality_id and street.municipality_id == municipality_id:
            score += 3
        ranked.append((score, street))
    # equal matches: the larger municipality first (where most reports come from), then by name
    ranked.sort(key=lambda pair: (-pair[0], -pair[1].municipality.population, pair[1].label, pair[1].pk))
    if not query.house:
        return [_street_place(street, score) for score, street in ranked[:limit] if street.lat is not None]
    return _with_houses(ranked, query.house, limit)


def _with_houses(ranked: list[tuple[float, Street]], house: str, limit: int) -> list[Place]:
    top = ranked[:MAX_RESULTS]
    by_id = {street.pk: (score, street) for score, street in top}
    houses = Address.objects.filter(street_id__in=list(by_id), house_key__startswith=house)
    found: list[tuple[float, int, str, Place, int]] = []
    for address in houses.order_by("street_id", "house_key")[:500]:
        score, street = by_id[address.street_id]
        exact = address.house_key == house
        total = score + (10 if exact else 0)
        found.append((total, len(address.house_key), address.house_key,
                      _house_place(street, address, total), address.street_id))
    found.sort(key=lambda item: (-item[0], -by_id[item[4]][1].municipality.population, item[1], item[2],
                                 item[3].label))
    places = [item[3] for item in found[:limit]]
    if len(places) < limit:  # the house is not in the registry: offer the streets themselves
        places += [_street_place(street, score) for score, street in top if street.lat is not None
                   and not any(p.street == street.name and p.locality == street.locality for p in places)]
    return places[:limit]


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres between two points (equirectangular: exact enough within a few kilometres)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_M * math.hypot(x, y)


def nearest(lat: float, lon: float, *, within_m: float = 300.0) -> Place | None:
    """The registry's house nearest to a point, if one lies within ``within_m`` metres.

    Reads the 3 × 3 grid cells around the point first; only when the best house found there could be beaten
    by one in a cell not read (or none was found) does it read every cell within ``within_m``. Each row of
    cells is one range of the indexed cell number, so a wide search is a few range conditions, not a list.
    """
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    within_m = max(1.0, min(float(within_m), 1000.0))
    row, col = cell_parts(cell_of(lat, lon))
    lat_m = CELL_DEGREES * math.pi / 180 * EARTH_RADIUS_M
    lon_m = lat_m * max(math.cos(math.radians(lat)), 0.05)  # near the poles: a bounded, wider search
    best: tuple[float, int] | None = None
    for rows, cols in ((1, 1), (math.ceil(within_m / lat_m), math.ceil(within_m / lon_m))):
        condition = Q()
        for r in range(row - rows, row + rows + 1):
            condition |= Q(cell__range=(r * CELL_ROW + col - cols, r * CELL_ROW + col + cols))
        for pk, a_lat, a_lon in Address.objects.filter(condition).values_list("id", "lat", "lon"):
            distance = _distance_m(lat, lon, a_lat, a_lon)
            if distance <= within_m and (best is None or (distance, pk) < best):
                best = (distance, pk)
        # a house in a cell not read is farther than the read block's nearest edge
        if best is not None and best[0] <= min(rows * lat_m, cols * lon_m):
            break
    if best is None:
        return None
    distance, pk = best
    address = Address.objects.select_related("street__municipality").get(pk=pk)
    return _house_place(address.street, address, 100.0, distance)


def map_view_for(user) -> dict:
    """Where a map for this person opens: his home municipality's bounds, else the whole region's.

    ``{"bounds": [south, west, north, east] or None, "municipality": id or None}``.
    """
    home = getattr(user, "home_municipality", None) if getattr(user, "is_authenticated", False) else None
    if home is not None and home.is_active and home.min_lat is not None:
        return {"bounds": [home.min_lat, home.min_lon, home.max_lat, home.max_lon], "municipality": home.pk}
    box = Municipality.objects.filter(is_active=True).aggregate(
        s=Min("min_lat"), w=Min("min_lon"), n=Max("max_lat"), e=Max("max_lon"))
    bounds = [box["s"], box["w"], box["n"], box["e"]] if box["s"] is not None else None
    return {"bounds": bounds, "municipality": None}


def geocode_one(text: str) -> tuple[Place | None, str]:
    """The one place an address names, for a client that cannot choose from a list (Open311).

    Returns ``(place, "")``, or ``(None, reason)`` with reason "none" (nothing matches, or the house asked
    for is not in the registry) or "ambiguous" (equally good matches in several places: the locality is
    missing from the address).
    """
    query = parse_query(text or "")
    places = search(text, limit=MAX_RESULTS)
    if query.house:
        places = [p for p in places if p.kind == "house"]
    if not places:
        return None, "none"
    best = places[0]
    if any(p.score == best.score and (p.locality, p.street) != (best.locality, best.street) for p in places[1:]):
        return None, "ambiguous"
    return best, ""
