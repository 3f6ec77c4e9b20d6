"""Writes of the federal ratings: ratings, their editions (typed or imported), the alert on a drop and the order
opened from it. Each write checks its permission and records a domain event."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.monitoring.findings import finding_to_order
from krai.monitoring.rankings import selectors
from krai.monitoring.rankings.models import Rating, RatingEdition, RatingPlace, RussianRegion

ORDER_KIND = "monitoring.rating"
DROP_KIND = "rankings.drop"
RATING_FIELDS = ("code", "name", "name_en", "publisher", "methodology_url", "periodicity", "directions", "owner",
                 "owner_organisation", "drop_threshold", "active")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def _check(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this with ratings."))


def _directions(value) -> list[dict]:
    out, seen = [], set()
    for item in value or []:
        code = str(item.get("code", "")).strip() if isinstance(item, dict) else ""
        name = str(item.get("name", "")).strip() if isinstance(item, dict) else ""
        if not _CODE.match(code) or not name or code in seen:
            raise ValidationError({"directions": _("Each direction needs a unique code (latin letters, digits, "
                                                   "'-' or '_') and a name.")})
        seen.add(code)
        out.append({"code": code, "name": name[:200]})
    return out


def _clean_rating(fields: dict) -> dict:
    if "code" in fields and not _CODE.match(str(fields["code"] or "")):
        raise ValidationError({"code": _("A code of latin letters, digits, '-' or '_', up to 60 characters.")})
    for name in ("name", "publisher"):
        if name in fields and not str(fields[name] or "").strip():
            raise ValidationError({name: _("This field is required.")})
    if "periodicity" in fields and fields["periodicity"] not in Rating.Periodicity.values:
        raise ValidationError({"periodicity": _("Choose yearly or quarterly.")})
    if "drop_threshold" in fields and not (0 <= int(fields["drop_threshold"] or 0) <= 89):
        raise ValidationError({"drop_threshold": _("A threshold from 0 (no alerts) to 89 places.")})
    if "directions" in fields:
        fields["directions"] = _directions(fields["directions"])
    return fields


@transaction.atomic
def rating_create(*, actor, neighbours: list[RussianRegion] | None = None, **fields) -> Rating:
    _check(actor, "rankings.add_rating")
    fields = _clean_rating({k: v for k, v in fields.items() if k in RATING_FIELDS})
    if Rating.objects.filter(code=fields.get("code")).exists():
        raise ValidationError({"code": _("A rating with this code exists already.")})
    rating = Rating.objects.create(**fields)
    rating.neighbours.set(neighbours or [])
    record_event(kind="rankings.rating_created", actor=actor, subject=rating, payload={"code": rating.code})
    return rating


@transaction.atomic
def rating_update(*, actor, rating: Rating, neighbours: list[RussianRegion] | None = None, **fields) -> Rating:
    _check(actor, "rankings.change_rating", rating)
    fields = _clean_rating({k: v for k, v in fields.items() if k in RATING_FIELDS and k != "code"})
    for name, value in fields.items():
        setattr(rating, name, value)
    rating.save()
    if neighbours is not None:
        rating.neighbours.set(neighbours)
    record_event(kind="rankings.rating_updated", actor=actor, subject=rating,
                 payload={"fields": sorted(fields) + (["neighbours"] if neighbours is not None else [])})
    return rating


def _period(rating: Rating, year, quarter) -> tuple[int, int | None]:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Give the year of the edition.")}) from None
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": _("A year from 1990 to 2100.")})
    quarter = int(quarter) if quarter not in (None, "") else None
    if rating.periodicity == Rating.Periodicity.QUARTER and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("This rating is quarterly: give a quarter from 1 to 4.")})
    if rating.periodicity == Rating.Periodicity.YEAR and quarter is not None:
        raise ValidationError({"quarter": _("This rating is yearly: leave the quarter empty.")})
    return year, quarter


def _number(value, where: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({where: _("A number is expected.")}) from None


def _places(rating: Rating, rows: list[dict], regions_count: int) -> list[RatingPlace]:
    """Check places given as ``{region, place, place_to, score, subscores}``: every reason names its field."""
    directions = set(rating.direction_names())
    out, seen = [], set()
    for row in rows:
        region, place, place_to = row.get("region"), row.get("place"), row.get("place_to")
        if region is None:
            raise ValidationError({"region": _("Choose the region.")})
        if region.pk in seen:
            raise ValidationError({"region": _("%(region)s is listed twice.") % {"region": region.name}})
        seen.add(region.pk)
        if place is None or not 1 <= int(place) <= regions_count:
            raise ValidationError({"place": _("The place must be from 1 to %(n)s (the regions in the edition).")
                                   % {"n": regions_count}})
        if place_to is not None and not int(place) <= int(place_to) <= regions_count:
            raise ValidationError({"place_to": _("A shared place ends at or after its start and within the "
                                                 "edition's %(n)s regions.") % {"n": regions_count}})
        subscores = {code: float(_number(value, code)) for code, value in (row.get("subscores") or {}).items()
                     if code in directions and value not in (None, "")}
        out.append(RatingPlace(region=region, place=int(place), place_to=int(place_to) if place_to else None,
                               score=_number(row.get("score"), "score"), subscores=subscores))
    return out


@transaction.atomic
def edition_create(*, actor, rating: Rating, year, quarter=None, regions_count, places: list[dict],
                   published_on: dt.date | None = None, source_url: str = "", replace: bool = False,
                   import_id: int | None = None) -> RatingEdition:
    """An edition with its places (at least one: the home region's, typed); ``replace`` lets an import put the
    whole table in place of an edition typed earlier."""
    _check(actor, "rankings.add_edition", rating)
    year, quarter = _period(rating, year, quarter)
    try:
        regions_count = int(regions_count)
    except (TypeError, ValueError):
        raise ValidationError({"regions_count": _("Give the number of regions in the edition.")}) from None
    if not 1 <= regions_count <= max(RussianRegion.objects.count(), 1):
        raise ValidationError({"regions_count": _("From 1 to the number of Russia's regions.")})
    if not places:
        raise ValidationError({"place": _("Give at least the home region's place.")})
    rows = _places(rating, places, regions_count)
    edition = RatingEdition.objects.filter(rating=rating, year=year, quarter=quarter).first()
    if edition is not None and not replace:
        raise ValidationError({"year": _("This rating already has an edition for %(period)s.")
                               % {"period": edition.period}}, code="already_open")
    if edition is None:
        edition = RatingEdition(rating=rating, year=year, quarter=quarter, created_by=actor)
        verb = "created"
    else:
        edition.places.all().delete()
        verb = "replaced"
    edition.regions_count, edition.published_on, edition.source_url = regions_count, published_on, source_url or ""
    edition.save()
    for row in rows:
        row.edition = edition
    RatingPlace.objects.bulk_create(rows)
    event = record_event(kind=f"rankings.edition_{verb}", actor=actor, subject=edition,
                         payload={"rating": rating.code, "period": edition.period, "places": len(rows),
                                  "import": import_id})
    _alert_on_drop(rating, edition, event)
    return edition


def _alert_on_drop(rating: Rating, edition: RatingEdition, event) -> None:
    """Tell the rating's owner when the home region fell by the threshold or more in the newest edition."""
    now = selectors.standing(rating)
    if now.edition is None or now.edition.pk != edition.pk or not now.dropped or rating.owner is None:
        return
    change = now.change
    notify(users=[rating.owner], kind=DROP_KIND, event=event, url=rating.get_absolute_url(),
           title=_("%(rating)s: the region fell by %(n)s places") % {"rating": rating.name, "n": change.fell_by},
           body=_("%(period)s: place %(now)s, before %(before)s.") % {
               "period": edition.period, "now": change.current.place_label, "before": change.previous.place_label})


@transaction.atomic
def order_from_drop(*, actor, rating: Rating, executor_organisation=None, deadline: dt.date | None = None,
                    working_days: int | None = None, text: str = ""):
    """Put the latest edition's drop on control: an order for the rating's owner organisation (by default)."""
    _check(actor, "rankings.view_rating", rating)
    now = selectors.standing(rating)
    if now.edition is None or now.change.current is None:
        raise ValidationError(_("The region has no place in this rating yet."))
    change = now.change
    title = _("%(rating)s, %(period)s: place %(now)s (before %(before)s) — analyse and act") % {
        "rating": rating.name, "period": now.edition.period, "now": change.current.place_label,
        "before": change.previous.place_label if change.previous else "—"}
    return finding_to_order(actor=actor, kind=ORDER_KIND, subject=now.edition, title=title,
                            executor_organisation=executor_organisation or rating.owner_organisation,
                            text=text, deadline=deadline, working_days=working_days)
