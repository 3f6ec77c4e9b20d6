"""What CKAN clients receive for Krai's objects and how they are found: the organisation, resource and package
dicts (a dataset is a package, each version a resource ``<identifier>-v<n>``), and the look-ups of a visible
dataset and of a resource by its id, which raise CKAN's ``Not Found Error``.
"""

from __future__ import annotations

import re

from django.urls import reverse

from krai.opendata import machine
from krai.opendata.ckan.protocol import ActionError, _iso
from krai.opendata.models import Dataset, DatasetVersion
from krai.opendata.selectors import datasets_visible_to


def organization_dict(org, count: int | None = None) -> dict:
    out = {"id": org.code, "name": org.code, "title": org.name, "display_name": org.name,
           "description": org.name_en or "", "type": "organization", "is_organization": True, "state": "active",
           "approval_status": "approved", "image_url": "", "created": _iso(getattr(org, "created", None))}
    if count is not None:
        out["package_count"] = count
    return out


def resource_dict(request, dataset: Dataset, version: DatasetVersion) -> dict:
    url = machine.data_url(request, dataset, version)
    return {"id": f"{dataset.identifier}-v{version.number}", "package_id": dataset.identifier, "url": url,
            "name": version.data_name, "description": version.provenance, "format": "CSV",
            "mimetype": "text/csv", "datastore_active": bool(version.is_current and version.datastore_table),
            "created": _iso(version.created), "metadata_modified": _iso(version.created),
            "last_modified": _iso(version.created), "hash": version.checksum, "state": "active",
            "position": 0, "url_type": None, "size": None}


def package_dict(request, dataset: Dataset) -> dict:
    versions = sorted(dataset.versions.all(), key=lambda v: -v.number)
    resources = [resource_dict(request, dataset, v) for v in versions]
    for position, resource in enumerate(resources):
        resource["position"] = position
    tags = [{"id": kw, "name": kw, "display_name": kw, "state": "active", "vocabulary_id": None}
            for kw in dataset.keywords or []]
    groups = [{"id": dataset.subject, "name": dataset.subject, "title": dataset.subject,
               "display_name": dataset.subject}] if dataset.subject else []
    extras = [{"key": key, "value": str(value)} for key, value in (
        ("identifier", dataset.identifier), ("frequency", dataset.frequency), ("spatial", dataset.spatial),
        ("temporal_start", dataset.temporal_start or ""), ("temporal_end", dataset.temporal_end or ""),
        ("next_update", dataset.next_update or ""), ("quality", dataset.quality),
        ("standardversion", machine.STANDARD_VERSION)) if value not in (None, "")]
    return {
        "id": dataset.identifier, "name": dataset.identifier, "title": dataset.title, "notes": dataset.description,
        "type": "dataset", "state": "active", "private": dataset.status != Dataset.Status.PUBLISHED,
        "author": dataset.responsible_name, "author_email": dataset.responsible_email,
        "maintainer": dataset.responsible_name, "maintainer_email": dataset.responsible_email,
        "license_id": dataset.licence, "license_title": dataset.licence, "isopen": True,
        "metadata_created": _iso(dataset.created), "metadata_modified": _iso(dataset.modified),
        "url": request.build_absolute_uri(reverse("opendata:dataset", args=[dataset.identifier])),
        "version": str(versions[0].number) if versions else None,
        "owner_org": dataset.owner.code, "organization": organization_dict(dataset.owner),
        "tags": tags, "num_tags": len(tags), "groups": groups, "extras": extras,
        "resources": resources, "num_resources": len(resources),
    }


def _visible(request):
    return datasets_visible_to(None).prefetch_related("versions")


def _dataset(request, params: dict) -> Dataset:
    ident = str(params.get("id") or params.get("name_or_id") or "").strip()
    if not ident:
        raise ActionError("Validation Error", "", id=["Missing value"])
    dataset = _visible(request).filter(identifier=ident.lower()).first()
    if dataset is None:
        raise ActionError("Not Found Error", "Not found")
    return dataset


def _resource(request, params) -> tuple[Dataset, DatasetVersion]:
    ident = str(params.get("id") or params.get("resource_id") or "").strip()
    match = re.match(r"^(.+)-v(\d+)$", ident)
    dataset = None
    number = None
    if match:
        dataset = _visible(request).filter(identifier=match.group(1).lower()).first()
        number = int(match.group(2))
    if dataset is None:  # the dataset's identifier alone names its current resource
        dataset = _visible(request).filter(identifier=ident.lower()).first()
        number = None
    if dataset is None:
        raise ActionError("Not Found Error", "Resource was not found.")
    versions = list(dataset.versions.all())
    version = next((v for v in versions if (v.number == number if number else v.is_current)), None)
    if version is None:
        raise ActionError("Not Found Error", "Resource was not found.")
    return dataset, version
