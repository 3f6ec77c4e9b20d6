"""Pages for machines: the Russian layout (methodological recommendations 3.0) and the DCAT catalogues.

``/opendata/list.csv|xml|json``, ``/opendata/<id>/meta.csv|xml|json``, the versioned data files
``/opendata/<id>/data-YYYYMMDD-structure-YYYYMMDD.csv`` and structure files
``/opendata/<id>/structure-YYYYMMDD.csv``; ``/catalog.jsonld`` (DCAT-AP) and ``/data.json`` (DCAT-US 1.1).
Only published datasets appear; everything is read-only and anonymous.
"""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree as ET

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from krai.core import csvsafe
from krai.opendata import export, ingest
from krai.opendata.datastore import Query, Table
from krai.opendata.models import STANDARD_VERSION, Dataset, DatasetVersion
from krai.opendata.selectors import dataset_get_for_user, datasets_visible_to

CSV_TYPE = "text/csv; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
EU_FREQUENCY = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "quarterly": "QUARTERLY",
                "yearly": "ANNUAL", "continuous": "CONT", "irregular": "IRREG"}
ISO_FREQUENCY = {"daily": "R/P1D", "weekly": "R/P1W", "monthly": "R/P1M", "quarterly": "R/P3M", "yearly": "R/P1Y",
                 "continuous": "R/PT1S", "irregular": "irregular"}


def _public() -> list[Dataset]:
    return list(datasets_visible_to(None).order_by("identifier").prefetch_related("versions"))


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _csv(rows: list[list], filename: str) -> HttpResponse:
    out = io.StringIO()
    csvsafe.writer(out, lineterminator="\r\n").writerows(rows)
    return HttpResponse("\ufeff" + out.getvalue(), content_type=CSV_TYPE,
                        headers={"Content-Disposition": f'inline; filename="{filename}"'})


def _xml(root: ET.Element) -> HttpResponse:
    return HttpResponse(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8"),
                        content_type=XML_TYPE)


def _sub(parent: ET.Element, tag: str, text) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = "" if text is None else str(text)
    return element


def _ymd(value) -> str:
    return value.strftime("%Y%m%d") if value else ""


# --- list ------------------------------------------------------------------------------------------

def _meta_url(request, dataset: Dataset, ext: str = "csv") -> str:
    return _abs(request, reverse("opendata:meta", args=[dataset.identifier, ext]))


@require_safe
def registry_list(request, ext: str):
    datasets = _public()
    if ext == "csv":
        rows = [["property", "title", "value", "format"],
                ["standardversion", "Версия методических рекомендаций", STANDARD_VERSION, ""]]
        rows += [[d.identifier, d.title, _meta_url(request, d), "csv"] for d in datasets]
        return _csv(rows, "list.csv")
    items = [{"identifier": d.identifier, "title": d.title, "link": _meta_url(request, d, ext), "format": ext}
             for d in datasets]
    if ext == "json":
        return JsonResponse({"standardversion": STANDARD_VERSION, "meta": items},
                            json_dumps_params={"ensure_ascii": False})
    root = ET.Element("list")
    _sub(ET.SubElement(root, "meta"), "standardversion", STANDARD_VERSION)
    container = ET.SubElement(root, "meta")
    for item in items:
        node = ET.SubElement(container, "item")
        for key in ("identifier", "title", "link", "format"):
            _sub(node, key, item[key])
    return _xml(root)


# --- meta ------------------------------------------------------------------------------------------

def versions_of(dataset: Dataset) -> list[DatasetVersion]:
    return sorted(dataset.versions.all(), key=lambda v: v.number)


def structures_of(versions: list[DatasetVersion]) -> list[DatasetVersion]:
    """One version per structure date (the first that used it)."""
    seen, out = set(), []
    for version in versions:
        if version.structure_name not in seen:
            seen.add(version.structure_name)
            out.append(version)
    return out


def data_url(request, dataset: Dataset, version: DatasetVersion) -> str:
    return _abs(request, reverse("opendata:data-file", args=[dataset.identifier, version.data_name]))


def structure_url(request, dataset: Dataset, version: DatasetVersion) -> str:
    return _abs(request, reverse("opendata:structure-file", args=[dataset.identifier, version.structure_name]))


def passport(request, dataset: Dataset) -> dict:
    """The passport as the v3 keys name it (shared by meta.*, the passport page and DCAT)."""
    versions = versions_of(dataset)
    current = next((v for v in versions if v.is_current), versions[-1] if versions else None)
    return {
        "standardversion": STANDARD_VERSION, "identifier": dataset.identifier, "title": dataset.title,
        "description": dataset.description, "creator": dataset.owner.name, "created": _ymd(dataset.created),
        "modified": _ymd(dataset.modified), "subject": ", ".join(dataset.keywords or []), "format": "csv",
        "provenance": dataset.provenance, "valid": _ymd(current.valid) if current else "",
        "publishername": dataset.responsible_name, "publisherphone": dataset.responsible_phone,
        "publishermbox": dataset.responsible_email,
        "data": [{"source": data_url(request, dataset, v), "created": _ymd(v.created), "provenance": v.provenance,
                  "valid": _ymd(v.valid), "structure": _ymd(v.structure_created), "name": v.data_name}
                 for v in reversed(versions)],
        "structure": [{"source": structure_url(request, dataset, v), "created": _ymd(v.structure_created),
                       "name": v.structure_name} for v in reversed(structures_of(versions))],
    }


SCALAR_KEYS = ("standardversion", "identifier", "title", "description", "creator", "created", "modified",
               "subject", "format", "provenance", "valid", "publishername", "publisherphone", "publishermbox")


@require_safe
def meta(request, identifier: str, ext: str):
    dataset = dataset_get_for_user(user=None, identifier=identifier)
    info = passport(request, dataset)
    if ext == "csv":
        rows = [["property", "value"]] + [[key, info[key]] for key in SCALAR_KEYS]
        rows += [[item["name"], item["source"]] for item in info["data"]]
        rows += [[item["name"], item["source"]] for item in info["structure"]]
        return _csv(rows, "meta.csv")
    publisher = {"name": info["publishername"], "phone": info["publisherphone"], "mbox": info["publishermbox"]}
    if ext == "json":
        body = {key: info[key] for key in SCALAR_KEYS if not key.startswith("publisher")}
        body["data"] = [{k: item[k] for k in ("source", "created", "provenance", "valid", "structure")}
                        for item in info["data"]]
        body["structure"] = [{k: item[k] for k in ("source", "created")} for item in info["structure"]]
        body["publisher"] = publisher
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    root = ET.Element("meta")
    for key in SCALAR_KEYS:
        if not key.startswith("publisher") and key not in ("provenance", "valid"):
            _sub(root, key, info[key])
    data = ET.SubElement(root, "data")
    for item in info["data"]:
        node = ET.SubElement(data, "dataversion")
        for key in ("source", "created", "provenance", "valid", "structure"):
            _sub(node, key, item[key])
    structure = ET.SubElement(root, "structure")
    for item in info["structure"]:
        node = ET.SubElement(structure, "structureversion")
        for key in ("source", "created"):
            _sub(node, key, item[key])
    node = ET.SubElement(root, "publisher")
    for key, value in publisher.items():
        _sub(node, key, value)
    return _xml(root)


# --- data and structure files ----------------------------------------------------------------------

def version_rows(version: DatasetVersion):
    """Rows (``_id`` first) of any version: the current from its table, older ones re-read from their file."""
    fields = version.structure.get("fields", [])
    if version.is_current and version.datastore_table:
        return Table(version.datastore_table, fields).iterate(Query(limit=0))
    if not version.file.name or not default_storage.exists(version.file.name):
        raise Http404
    with default_storage.open(version.file.name, "rb") as handle:
        parsed = ingest.read_upload(handle, version.structure, name=version.file.name)
    return ([n, *row] for n, row in enumerate(parsed.rows, start=1))


def version_download(version: DatasetVersion, fmt: str, filename: str, *, bom: bool = False):
    names = [f["name"] for f in version.structure.get("fields", [])]
    rows = version_rows(version)
    if fmt == "xlsx":
        return export.xlsx_response(names, rows, filename)
    parts = {"csv": export.csv_parts, "json": export.json_parts, "xml": export.xml_parts}[fmt](names, rows)
    return StreamingHttpResponse(export.with_bom(export._blocks(parts), bom and fmt == "csv"),
                                 content_type=export.CONTENT_TYPES[fmt],
                                 headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


@require_safe
def data_file(request, identifier: str, name: str):
    dataset = dataset_get_for_user(user=None, identifier=identifier)
    matching = [v for v in versions_of(dataset) if v.data_name == name]
    if not matching:
        raise Http404
    if request.method == "HEAD":  # the headers only: no file re-read, no rows
        return export.head(fmt="csv", filename=name)
    return version_download(matching[-1], "csv", name)


@require_safe
def structure_file(request, identifier: str, name: str):
    dataset = dataset_get_for_user(user=None, identifier=identifier)
    version = next((v for v in versions_of(dataset) if v.structure_name == name), None)
    if version is None:
        raise Http404
    rows = [["field name", "english description", "russian description", "format"]]
    for field in version.structure.get("fields", []):
        rows.append([field["name"], field.get("title_en") or field["name"],
                     field.get("title") or field.get("description") or field["name"], _v3_format(field["type"])])
    return _csv(rows, f"{name}.csv")


def _v3_format(kind: str) -> str:
    return {"string": "string", "integer": "integer", "number": "float", "boolean": "boolean", "date": "date",
            "datetime": "datetime"}.get(kind, "string")


# --- DCAT ------------------------------------------------------------------------------------------

def _distributions(request, dataset: Dataset) -> list[dict]:
    out = []
    for fmt in ("csv", "json", "xml", "xlsx"):
        out.append({"format": fmt.upper(), "mediaType": export.CONTENT_TYPES[fmt].split(";")[0],
                    "downloadURL": _abs(request, reverse("opendata:export", args=[dataset.identifier, fmt]))})
    return out


@require_safe
def dcat_jsonld(request):
    datasets = []
    for d in _public():
        landing = _abs(request, reverse("opendata:dataset", args=[d.identifier]))
        item = {
            "@id": landing, "@type": "dcat:Dataset", "dct:identifier": d.identifier, "dct:title": d.title,
            "dct:description": d.description, "dcat:keyword": list(d.keywords or []),
            "dct:issued": {"@value": d.created.isoformat(), "@type": "xsd:dateTime"},
            "dct:modified": {"@value": d.modified.isoformat(), "@type": "xsd:dateTime"},
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": d.owner.name},
            "dct:accrualPeriodicity": {
                "@id": f"http://publications.europa.eu/resource/authority/frequency/{EU_FREQUENCY[d.frequency]}"},
            "dct:license": d.licence, "dcat:landingPage": {"@id": landing},
            "dcat:contactPoint": {"@type": "vcard:Kind", "vcard:fn": d.responsible_name,
                                  **({"vcard:hasEmail": f"mailto:{d.responsible_email}"}
                                     if d.responsible_email else {})},
            "dcat:distribution": [{"@type": "dcat:Distribution", "dcat:accessURL": {"@id": landing},
                                   "dcat:downloadURL": {"@id": dist["downloadURL"]}, "dct:format": dist["format"],
                                   "dcat:mediaType": dist["mediaType"]} for dist in _distributions(request, d)],
        }
        if d.spatial:
            item["dct:spatial"] = d.spatial
        if d.temporal_start or d.temporal_end:
            item["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                                    **({"dcat:startDate": d.temporal_start.isoformat()} if d.temporal_start else {}),
                                    **({"dcat:endDate": d.temporal_end.isoformat()} if d.temporal_end else {})}
        datasets.append(item)
    body = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
                     "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": _abs(request, reverse("opendata:dcat")), "@type": "dcat:Catalog",
        "dct:title": "Открытые данные", "dct:language": "ru",
        "foaf:homepage": _abs(request, reverse("opendata:home")), "dcat:dataset": datasets,
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/ld+json")


@require_safe
def dcat_us(request):
    datasets = []
    for d in _public():
        item = {
            "@type": "dcat:Dataset", "title": d.title, "description": d.description or d.title,
            "keyword": list(d.keywords or []) or [d.subject or "open data"], "modified": d.modified.date().isoformat(),
            "issued": d.created.date().isoformat(),
            "publisher": {"@type": "org:Organization", "name": d.owner.name},
            "contactPoint": {"@type": "vcard:Contact", "fn": d.responsible_name or d.owner.name,
                             "hasEmail": f"mailto:{d.responsible_email or d.owner.email or 'opendata@example.org'}"},
            "identifier": d.identifier, "accessLevel": "public", "license": d.licence,
            "accrualPeriodicity": ISO_FREQUENCY[d.frequency],
            "landingPage": _abs(request, reverse("opendata:dataset", args=[d.identifier])),
            "describedBy": _abs(request, reverse("opendata:meta", args=[d.identifier, "json"])),
            "distribution": [{"@type": "dcat:Distribution", "downloadURL": dist["downloadURL"],
                              "mediaType": dist["mediaType"], "format": dist["format"], "title": dist["format"]}
                             for dist in _distributions(request, d)],
        }
        if d.spatial:
            item["spatial"] = d.spatial
        if d.temporal_start and d.temporal_end:
            item["temporal"] = f"{d.temporal_start.isoformat()}/{d.temporal_end.isoformat()}"
        datasets.append(item)
    body = {"@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "@id": _abs(request, reverse("opendata:data-json")), "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json", "dataset": datasets}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
