"""Shared test data of construction: the inspection body and its inspector, a keeper of the registries, a resident,
and rows of each part written directly (as fixtures, not through the services)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from krai.construction.models import (
    ConstructionObject,
    IllegalConstruction,
    ObjectStage,
    VerificationRequest,
    Work,
    WorkKind,
    WorkStatus,
)
from krai.org.models import Organisation, Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory, UserFactory, assign, square

LON, LAT = 38.97, 45.03  # Krasnodar


def municipality(**fields: Any):
    """A municipality whose boundary holds the point (LON, LAT)."""
    return MunicipalityFactory(boundary=square(LON - 0.25, LAT - 0.25), centre_lon=LON, centre_lat=LAT, **fields)


def inspection_body() -> Organisation:
    """The configured inspection body (``KRAI_CONSTRUCTION_INSPECTION_BODY``), made once."""
    body = Organisation.objects.filter(code=settings.KRAI_CONSTRUCTION_INSPECTION_BODY).first()
    return body or OrganisationFactory(code=settings.KRAI_CONSTRUCTION_INSPECTION_BODY,
                                       name="Департамент по надзору в строительной сфере")


def inspector(body: Organisation | None = None):
    """An executor on staff of the inspection body (or of ``body``)."""
    user = StaffFactory()
    assign(user, Role.EXECUTOR, organisation=body or inspection_body())
    return user


def keeper():
    """A controller of the region: keeps the registries (objects, illegal constructions, imports, reports)."""
    user = StaffFactory()
    assign(user, Role.CONTROLLER)
    return user


def body_staff(body: Organisation | None = None, role: str = Role.HEAD):
    """A staff member acting for ``body`` (a new department if none): he manages its works."""
    user = StaffFactory()
    assign(user, role, organisation=body or OrganisationFactory())
    return user


def resident(**fields: Any):
    return UserFactory(**fields)


def construction_object(**fields: Any) -> ConstructionObject:
    values = {"name": "Жилой дом на ул. Красной", "address": "Краснодар, ул. Красная, 10", "lat": LAT, "lon": LON,
              "developer": "ООО «СтройИнвест»", "permit_number": "23-RU23306000-100-2026",
              "permit_date": date(2026, 3, 1), "permit_authority": "Департамент архитектуры",
              "permit_valid_until": date(2028, 3, 1), "approved_floors": 9, "approved_area": 5400,
              "purpose": "многоквартирный жилой дом", "stage": ObjectStage.UNDER_CONSTRUCTION,
              "cadastral_number": "23:43:0000000:1001", **fields}
    if "municipality" not in values:
        values["municipality"] = municipality()
    return ConstructionObject.objects.create(**values)


def verification_request(*, author=None, **fields: Any) -> VerificationRequest:
    """An open request (without its control-engine assignment: the services open that)."""
    values = {"reason": "missing", "address": "Краснодар, ул. Северная, 5", "lat": LAT + 0.001, "lon": LON,
              "description": "Строят пятиэтажный дом, в реестре его нет.", "observed_floors": 5,
              "due_date": timezone.localdate() + timedelta(days=28), **fields}
    values.setdefault("inspection_body", inspection_body())
    return VerificationRequest.objects.create(author=author or resident(), **values)


def illegal_construction(**fields: Any) -> IllegalConstruction:
    values = {"address": "Краснодар, ул. Садовая, 3", "lat": LAT, "lon": LON + 0.002,
              "found_on": timezone.localdate() - timedelta(days=30), "description": "Пристройка без разрешения",
              "owner": "Петров П. П.", **fields}
    return IllegalConstruction.objects.create(**values)


def work(**fields: Any) -> Work:
    today = timezone.localdate()
    values = {"name": "Ремонт ул. Ставропольской", "kind": WorkKind.ROAD, "status": WorkStatus.PLANNED,
              "address": "Краснодар, ул. Ставропольская", "street": "Ставропольская", "lat": LAT, "lon": LON,
              "contractor": "ООО «ДорСтрой»", "planned_start": today + timedelta(days=10),
              "planned_end": today + timedelta(days=70), **fields}
    if "municipality" not in values:
        values["municipality"] = municipality()
    if "responsible_body" not in values:
        values["responsible_body"] = OrganisationFactory()
    return Work.objects.create(**values)
