"""Reads of the verification part: the public list of requests with its filters and map, what lies near a point
(registered objects and open requests, closest first), the inspection queue of the reader's body, the author's own
requests, and the published results about a registered object. Every request and its result is public; the
author's name is never shown in full (``author_name``) and his text only masked (``public_text``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.construction import conf, policy
from krai.construction.models import ConstructionObject, RequestStatus, VerificationRequest
from krai.construction.selectors.objects import bounding_box, distance_m
from krai.core.files.models import Attachment
from krai.core.privacy import mask_personal
from krai.org.addresses import selectors as address_selectors
from krai.org.geo import check_point
from krai.org.scopes import scope_for
from krai.org.selectors import municipality_at
from krai.social.selectors.profiles import display_name

NEARBY_LIMIT = 20
MAP_LIMIT = 5000
RECENT_DAYS = 30


def _base() -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.select_related("author", "object", "municipality", "inspection_body",
                                                      "inspection", "illegal")


def request_get(pk: Any) -> VerificationRequest:
    """One request (all are public); 404 for a missing one or a malformed id."""
    try:
        return _base().get(pk=int(pk))
    except (VerificationRequest.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


@dataclass(frozen=True)
class Filters:
    status: str = ""
    municipality: Any = None
    reason: str = ""
    decision: str = ""
    body: Any = None
    object: Any = None


def request_list(filters: Filters | None = None) -> QuerySet[VerificationRequest]:
    """Every request, newest first, narrowed by the filters (status, municipality, reason, the inspection's
    decision, the inspection body, the registered object)."""
    filters = filters or Filters()
    rows = _base()
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.municipality:
        rows = rows.filter(municipality_id=getattr(filters.municipality, "pk", filters.municipality))
    if filters.reason:
        rows = rows.filter(reason=filters.reason)
    if filters.decision:
        rows = rows.filter(inspection__decision=filters.decision)
    if filters.body:
        rows = rows.filter(inspection_body_id=getattr(filters.body, "pk", filters.body))
    if filters.object:
        rows = rows.filter(object_id=getattr(filters.object, "pk", filters.object))
    return rows.order_by("-created_at", "-id")


def author_name(request: VerificationRequest) -> str:
    """The author as the public reads him: the community's name ("Given S."), never his full surname."""
    return display_name(request.author) if request.author is not None else ""


def public_text(text: str) -> str:
    """A resident's text as the public reads it: phones, e-mails and document numbers masked."""
    return mask_personal(text or "")


def is_overdue(request: VerificationRequest, today: Any = None) -> bool:
    return bool(request.status == RequestStatus.OPEN and request.due_date
                and request.due_date < (today or timezone.localdate()))


def map_geojson(filters: Filters | None = None) -> dict[str, Any]:
    """The requests of the filters as a GeoJSON FeatureCollection (at most ``MAP_LIMIT``, newest first)."""
    rows = request_list(filters).select_related(None).select_related("inspection")
    features = []
    for request in rows[:MAP_LIMIT]:
        inspection = getattr(request, "inspection", None)
        features.append({
            "type": "Feature", "id": request.pk,
            "geometry": {"type": "Point", "coordinates": [request.lon, request.lat]},
            "properties": {"id": request.pk, "address": request.address, "status": request.status,
                           "status_label": str(request.get_status_display()), "reason": request.reason,
                           "reason_label": str(request.get_reason_display()),
                           "decision": inspection.decision if inspection else None,
                           "decision_label": str(inspection.get_decision_display()) if inspection else None,
                           "url": request.get_absolute_url()}})
    return {"type": "FeatureCollection", "features": features, "truncated": len(features) >= MAP_LIMIT}


# --- near a point -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Near:
    item: Any
    metres: int | None


@dataclass(frozen=True)
class Nearby:
    objects: list[Near] = field(default_factory=list)
    requests: list[Near] = field(default_factory=list)


def _closest(rows: Any, lat: float, lon: float, metres: float) -> list[Near]:
    found = [Near(row, round(distance_m(lat, lon, row.lat, row.lon))) for row in rows]
    return sorted((near for near in found if near.metres <= metres), key=lambda near: (near.metres, near.item.pk))


def nearby(lat: float, lon: float, metres: float | None = None) -> Nearby:
    """Registered objects and open requests within ``metres`` of a point, closest first (``NEARBY_LIMIT`` each):
    what a resident should see before filing a new request."""
    metres = float(metres if metres is not None else conf.nearby_metres())
    box = bounding_box(lat, lon, metres)
    objects = ConstructionObject.objects.filter(box, lat__isnull=False).select_related("municipality")
    requests = VerificationRequest.objects.filter(box, status=RequestStatus.OPEN).select_related("object")
    return Nearby(objects=_closest(objects[:500], lat, lon, metres)[:NEARBY_LIMIT],
                  requests=_closest(requests[:500], lat, lon, metres)[:NEARBY_LIMIT])


def nearby_data(result: Nearby) -> dict[str, list[dict[str, Any]]]:
    """The nearby answer as JSON (the page's script and the API)."""
    return {
        "objects": [{"id": near.item.pk, "name": near.item.name, "address": near.item.address,
                     "lat": near.item.lat, "lon": near.item.lon, "metres": near.metres,
                     "stage": near.item.stage, "stage_label": str(near.item.get_stage_display()),
                     "approved_floors": near.item.approved_floors, "permit_number": near.item.permit_number,
                     "url": _object_url(near.item)} for near in result.objects],
        "requests": [{"id": near.item.pk, "address": near.item.address, "lat": near.item.lat, "lon": near.item.lon,
                      "metres": near.metres,
                      "reason": near.item.reason, "reason_label": str(near.item.get_reason_display()),
                      "created": near.item.created_at.date().isoformat(),
                      "due_date": near.item.due_date.isoformat() if near.item.due_date else None,
                      "url": near.item.get_absolute_url()} for near in result.requests],
    }


def _object_url(construction_object: ConstructionObject) -> str | None:
    from django.urls import NoReverseMatch

    try:
        return construction_object.get_absolute_url()
    except NoReverseMatch:  # the registry's pages are another part's
        return None


def site_point(lat: Any, lon: Any) -> tuple[float, float, Any]:
    """A site's point as numbers and the municipality holding it; ``ValidationError`` (on ``lat``) for a point
    that is not one or lies outside the region."""
    try:
        lat_f, lon_f = float(lat), float(lon)
        check_point(lon_f, lat_f)
    except (TypeError, ValueError, ValidationError):
        raise ValidationError({"lat": _("Mark the site on the map or give its latitude and longitude.")},
                              code="invalid") from None
    municipality = municipality_at(lon_f, lat_f)
    if municipality is None:
        raise ValidationError({"lat": _("This place is outside the region's municipalities: mark a site in the "
                                        "region.")}, code="outside")
    return lat_f, lon_f, municipality


def site_address(lat: float, lon: float, municipality: Any, limit: int = 300) -> str:
    """A site marked on the map without an address: the registry's nearest house, else the place's coordinates."""
    place = address_selectors.nearest(lat, lon)
    if place is not None:
        return place.label[:limit]
    return f"{municipality.name}, {lat:.5f}, {lon:.5f}"[:limit]


def object_get(pk: Any) -> ConstructionObject | None:
    """A registered object by its id, None for a missing one or a malformed id."""
    try:
        return ConstructionObject.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


# --- the staff's queue and the author's own ---------------------------------------------------------

def queue_scope(user: Any) -> Q:
    """Requests whose inspection body lies in the reader's reach: every body's for a keeper, his own body's
    subtree for its staff, nothing for anyone else."""
    if policy.is_keeper(user):
        return ~Q(pk__in=[])
    condition = Q(pk__in=[])
    if policy.is_active_user(user) and getattr(user, "is_staff", False):
        for path in scope_for(user).org_paths:
            condition |= Q(inspection_body__path__startswith=path)
    return condition


def queue_open(user: Any) -> QuerySet[VerificationRequest]:
    """The open requests of the reader's body (or every body for a keeper), the earliest due first."""
    return (_base().filter(queue_scope(user), status=RequestStatus.OPEN)
            .order_by("due_date", "created_at", "id"))


def queue_resolved(user: Any, days: int = RECENT_DAYS) -> QuerySet[VerificationRequest]:
    """Requests of the reader's body verified within ``days`` days, the latest first."""
    since = timezone.now() - timedelta(days=days)
    return (_base().filter(queue_scope(user), status=RequestStatus.RESOLVED, resolved_at__gte=since)
            .order_by("-resolved_at", "-id"))


def my_requests(user: Any) -> QuerySet[VerificationRequest]:
    if not policy.is_active_user(user):
        return VerificationRequest.objects.none()
    return _base().filter(author_id=user.pk).order_by("-created_at", "-id")


# --- results, photos --------------------------------------------------------------------------------

def object_results(construction_object: ConstructionObject) -> QuerySet[VerificationRequest]:
    """The verified requests about a registered object with their inspections, the latest visit first (every
    result is published, whatever the decision)."""
    return (_base().filter(object=construction_object, status=RequestStatus.RESOLVED, inspection__isnull=False)
            .order_by("-inspection__visited_on", "-id"))


def photos_of(target: Any) -> QuerySet[Attachment]:
    """The images attached to a request or an inspection, in upload order."""
    from django.contrib.contenttypes.models import ContentType

    if target is None or target.pk is None:
        return Attachment.objects.none()
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(target),
                                     object_id=str(target.pk), kind="image").order_by("id")


def inspection_of(request: VerificationRequest) -> Any:
    """The request's inspection, or None before it."""
    from krai.construction.models import Inspection

    try:
        return request.inspection
    except Inspection.DoesNotExist:
        return None


def illegal_of(request: VerificationRequest) -> Any:
    """The illegal construction the inspection found, or None."""
    from krai.construction.models import IllegalConstruction

    try:
        return request.illegal
    except IllegalConstruction.DoesNotExist:
        return None
