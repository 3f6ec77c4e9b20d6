"""Reads of the federal ratings: the home region's standing in each, its history, its neighbours, the directions
where it lost most.

A shared place ("5–7") counts as its first place (5) when places are compared — the way publishers name a
region's place — so moving from "5–7" to "5" is no change, and from "5–7" to "9" is a fall by 4.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from krai.monitoring.rankings.models import Rating, RatingEdition, RatingPlace, RussianRegion

UP, DOWN, SAME, NEW, NONE = "up", "down", "same", "new", "none"


def home_region_code() -> str:
    return str(getattr(settings, "KRAI_HOME_REGION_CODE", "23") or "23").zfill(2)


def home_region() -> RussianRegion | None:
    return RussianRegion.objects.filter(code=home_region_code()).first()


def region_list() -> QuerySet[RussianRegion]:
    return RussianRegion.objects.order_by("code")


def rating_list(*, active_only: bool = False) -> QuerySet[Rating]:
    ratings = Rating.objects.select_related("owner", "owner_organisation").order_by("-active", "name")
    return ratings.filter(active=True) if active_only else ratings


def rating_by_code(code: str) -> Rating | None:
    return rating_list().prefetch_related("neighbours").filter(code=code).first()


def editions_of(rating: Rating) -> list[RatingEdition]:
    """Oldest first; a yearly edition (no quarter) sorts before the same year's quarters."""
    return sorted(rating.editions.all(), key=lambda e: e.sort_key)


def edition_places(edition: RatingEdition) -> QuerySet[RatingPlace]:
    return edition.places.select_related("region").order_by("place", "region__code")


@dataclass(frozen=True)
class Change:
    """A region's place in an edition against the edition before (``delta`` > 0: it rose by that many)."""

    current: RatingPlace | None
    previous: RatingPlace | None
    direction: str
    delta: int | None = None

    @property
    def fell_by(self) -> int:
        return -self.delta if self.delta is not None and self.delta < 0 else 0


def compare(current: RatingPlace | None, previous: RatingPlace | None) -> Change:
    if current is None:
        return Change(None, previous, NONE)
    if previous is None:
        return Change(current, None, NEW)
    delta = previous.place - current.place
    return Change(current, previous, UP if delta > 0 else DOWN if delta < 0 else SAME, delta)


@dataclass
class Standing:
    rating: Rating
    edition: RatingEdition | None = None
    previous_edition: RatingEdition | None = None
    change: Change = field(default_factory=lambda: Change(None, None, NONE))

    @property
    def dropped(self) -> bool:
        """The home region fell by the rating's threshold or more in its latest edition."""
        return bool(self.rating.drop_threshold and self.change.fell_by >= self.rating.drop_threshold)


def standings(ratings: list[Rating], *, region: RussianRegion | None = None) -> list[Standing]:
    """Each rating's latest edition with ``region``'s (default: the home region's) place and change — two
    queries for any number of ratings."""
    region = region or home_region()
    editions: dict[int, list[RatingEdition]] = {r.pk: [] for r in ratings}
    for edition in RatingEdition.objects.filter(rating__in=ratings):
        editions[edition.rating_id].append(edition)
    latest_two = {pk: sorted(rows, key=lambda e: e.sort_key)[-2:] for pk, rows in editions.items()}
    wanted = [e.pk for rows in latest_two.values() for e in rows]
    places = {p.edition_id: p for p in RatingPlace.objects.filter(edition_id__in=wanted, region=region)} \
        if region else {}
    out = []
    for rating in ratings:
        rows = latest_two[rating.pk]
        if not rows:
            out.append(Standing(rating))
            continue
        last = rows[-1]
        before = rows[0] if len(rows) == 2 else None
        out.append(Standing(rating, last, before,
                            compare(places.get(last.pk), places.get(before.pk) if before else None)))
    return out


def list_rows(*, active_only: bool = False, dropped_only: bool = False) -> list[Standing]:
    """The rows of the list page and of the overview tile (one selector, so the tile counts what the list shows):
    each rating's standing, only the active ratings and only those past their threshold when asked."""
    rows = standings(list(rating_list(active_only=active_only)))
    return [row for row in rows if row.dropped] if dropped_only else rows


def standing(rating: Rating, *, region: RussianRegion | None = None) -> Standing:
    return standings([rating], region=region)[0]


def history(rating: Rating, regions: list[RussianRegion]) -> dict:
    """Places over editions for a line chart: ``{"periods", "counts", "series": [{"name", "code", "places"}]}``
    (a region missing from an edition has ``None`` there)."""
    editions = editions_of(rating)
    places = {(p.edition_id, p.region_id): p.place
              for p in RatingPlace.objects.filter(edition__in=editions, region__in=regions)}
    return {
        "periods": [e.period for e in editions],
        "counts": [e.regions_count for e in editions],
        "series": [{"name": r.name, "code": r.code, "places": [places.get((e.pk, r.pk)) for e in editions]}
                   for r in regions],
    }


def compared_regions(rating: Rating) -> list[RussianRegion]:
    """The home region first, then the rating's chosen neighbours by code."""
    home = home_region()
    neighbours = [r for r in rating.neighbours.order_by("code") if home is None or r.pk != home.pk]
    return ([home] if home else []) + neighbours


def neighbours_table(rating: Rating) -> list[dict]:
    """``[{"region", "standing"}]``: the home region first, then the neighbours."""
    return [{"region": region, "standing": standing(rating, region=region)} for region in compared_regions(rating)]


def lost_directions(rating: Rating, *, region: RussianRegion | None = None) -> list[dict]:
    """Sub-scores of the latest edition against the previous one, the biggest loss first."""
    now = standing(rating, region=region).change
    if now.current is None or now.previous is None:
        return []
    names = rating.direction_names()
    rows = []
    for code, value in (now.current.subscores or {}).items():
        before = (now.previous.subscores or {}).get(code)
        if value is None or before is None:
            continue
        delta = Decimal(str(value)) - Decimal(str(before))
        rows.append({"code": code, "name": names.get(code, code), "previous": before, "current": value,
                     "delta": delta})
    return sorted(rows, key=lambda row: (row["delta"], row["code"]))
