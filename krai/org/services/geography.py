"""Writes of the region and its municipalities (boundaries are validated and indexed here)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.org import geo
from krai.org.models import Municipality, Organisation, Region
from krai.org.services._common import CHANGE_STRUCTURE, UNSET, Unset, apply_changes, field_error, require, validate


def _geometry_fields(boundary: dict | None, centre_lon: float | None, centre_lat: float | None) -> dict[str, Any]:
    """The stored boundary, its bounding box and the centre (the boundary's inner point when not given)."""
    if boundary is None:
        fields: dict[str, Any] = {"boundary": None, "min_lon": None, "min_lat": None, "max_lon": None,
                                  "max_lat": None}
    else:
        geometry = geo.parse_boundary(boundary)
        fields = {"boundary": geo.to_geojson(geometry), **geo.bbox(geometry)}
        if centre_lon is None and centre_lat is None:
            point = geometry.representative_point()
            centre_lon, centre_lat = round(point.x, 6), round(point.y, 6)
    if (centre_lon is None) != (centre_lat is None):
        raise field_error("centre_lat" if centre_lat is None else "centre_lon",
                          _("Give both the longitude and the latitude of the centre, or neither."))
    if centre_lon is not None:
        geo.check_point(centre_lon, centre_lat)
    fields.update(centre_lon=centre_lon, centre_lat=centre_lat)
    return fields


def _only_region() -> Region:
    region = Region.objects.order_by("pk").first()
    if region is None:
        raise field_error("region", _("The installation has no region yet."))
    return region


@transaction.atomic
def region_update(*, actor: Any, region: Region, name: str | Unset = UNSET, name_en: str | Unset = UNSET,
                  population: int | Unset = UNSET, outline: dict | Unset | None = UNSET) -> Region:
    """Rename the region, set its population or its outline (a GeoJSON Polygon or MultiPolygon)."""
    require(actor, CHANGE_STRUCTURE)
    if outline is not UNSET and outline is not None:
        outline = geo.to_geojson(geo.parse_boundary(outline, field="outline"))
    changed = apply_changes(region, {"name": name, "name_en": name_en, "population": population, "outline": outline})
    if changed:
        validate(region)
        region.save()
        record_event(kind="org.region_updated", actor=actor, subject=region, payload={"changed": changed})
    return region


@transaction.atomic
def municipality_create(*, actor: Any, code: str, name: str, kind: str, region: Region | None = None,
                        name_en: str = "", admin_centre: str = "", population: int = 0,
                        boundary: dict | None = None, centre_lon: float | None = None,
                        centre_lat: float | None = None) -> Municipality:
    """Add a municipality; its boundary (GeoJSON Polygon/MultiPolygon in lon/lat) makes it locatable."""
    require(actor, CHANGE_STRUCTURE)
    municipality = Municipality(region=region or _only_region(), code=code, name=name, name_en=name_en, kind=kind,
                                admin_centre=admin_centre, population=population,
                                **_geometry_fields(boundary, centre_lon, centre_lat))
    validate(municipality)
    municipality.save()
    record_event(kind="org.municipality_created", actor=actor, subject=municipality,
                 payload={"code": municipality.code, "name": municipality.name, "kind": municipality.kind})
    geo.invalidate()
    return municipality


@transaction.atomic
def municipality_update(*, actor: Any, municipality: Municipality, code: str | Unset = UNSET,
                        name: str | Unset = UNSET, name_en: str | Unset = UNSET, kind: str | Unset = UNSET,
                        admin_centre: str | Unset = UNSET, population: int | Unset = UNSET,
                        boundary: dict | Unset | None = UNSET, centre_lon: float | Unset | None = UNSET,
                        centre_lat: float | Unset | None = UNSET) -> Municipality:
    """Change a municipality; a new boundary refreshes the bounding box and every process's lookup."""
    require(actor, CHANGE_STRUCTURE)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    changes: dict[str, Any] = {"code": code, "name": name, "name_en": name_en, "kind": kind,
                               "admin_centre": admin_centre, "population": population}
    if boundary is not UNSET or centre_lon is not UNSET or centre_lat is not UNSET:
        # the centre is the administrative centre's place: a new boundary keeps it (or fills it when missing)
        changes.update(_geometry_fields(
            municipality.boundary if boundary is UNSET else boundary,
            municipality.centre_lon if centre_lon is UNSET else centre_lon,
            municipality.centre_lat if centre_lat is UNSET else centre_lat,
        ))
    changed = apply_changes(municipality, changes)
    if changed:
        validate(municipality)
        municipality.save()
        record_event(kind="org.municipality_updated", actor=actor, subject=municipality,
                     payload={"changed": changed})
        geo.invalidate()
    return municipality


@transaction.atomic
def municipality_deactivate(*, actor: Any, municipality: Municipality) -> Municipality:
    """Retire a municipality (a merger, a reform): it leaves the lookup and the public lists, rows stay."""
    require(actor, CHANGE_STRUCTURE)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if not municipality.is_active:
        return municipality
    bodies = Organisation.objects.filter(municipality=municipality, is_active=True).count()
    if bodies:
        raise field_error("municipality", _("%(count)d active organisations belong to this municipality; "
                                            "deactivate or move them first.") % {"count": bodies})
    municipality.is_active = False
    municipality.save(update_fields=["is_active", "updated_at"])
    record_event(kind="org.municipality_deactivated", actor=actor, subject=municipality,
                 payload={"code": municipality.code})
    geo.invalidate()
    return municipality
