"""The CKAN Action API (read actions) under /api/3/action/ and /api/action/, for CKAN clients and harvesters.

CKAN's envelope ``{"help", "success", "result"}``, its error types and HTTP codes, GET with JSON-encoded
list and dict parameters, and JSON POST (what ``ckanapi`` sends for every action). A dataset's CKAN
``name`` and ``id`` are its identifier; each version is a resource ``<identifier>-v<n>`` and the current
one is ``datastore_active``. Organisations are the owners (by code), groups the subjects.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Callable

from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from krai.core import csvsafe, jsonsafe
from krai.opendata import machine
from krai.opendata.api.rows import json_response
from krai.opendata.datastore import MAX_BIGINT, Query, QueryError, Table
from krai.opendata.models import Dataset, DatasetVersion
from krai.opendata.selectors import catalogue_filter, datasets_visible_to, datastore_table, published_resource

CKAN_VERSION = "2.12.0"
CKAN_TYPES = {"string": "text", "integer": "int8", "number": "float8", "boolean": "bool", "date": "date",
              "datetime": "timestamp"}
ERRORS = {"Not Found Error": 404, "Validation Error": 409, "Authorization Error": 403, "Search Query Error": 400,
          "Search Error": 409}


class ActionError(Exception):
    def __init__(self, kind: str, message: str = "", **fields):
        super().__init__(message)
        self.kind, self.message, self.fields = kind, message, fields


def _envelope(request, action: str, *, result=None, error: dict | None = None, status: int = 200) -> HttpResponse:
    body = {"help": request.build_absolute_uri(f"/api/3/action/help_show?name={action}")}
    if error is None:
        body.update(success=True, result=result)
    else:
        body.update(success=False, error=error)
    return json_response(body, status=status)


def _params(request) -> dict:
    """Parameters of a GET (list/dict values JSON-encoded, repeated keys a list) or a JSON POST."""
    if request.method == "POST":
        if request.body:
            if request.content_type == "application/json" or request.body.lstrip()[:1] in (b"{",):
                try:
                    data = jsonsafe.loads(request.body)
                except jsonsafe.JSONInputError as exc:
                    raise ActionError("Validation Error", str(exc)) from exc
                except ValueError as exc:
                    raise ActionError("Validation Error", "JSON body expected") from exc
                if not isinstance(data, dict):
                    raise ActionError("Validation Error", "JSON object expected")
                return _storable(data)
            return _storable({k: v[0] if len(v) == 1 else v for k, v in request.POST.lists()})
        return {}
    params = {}
    for key, values in request.GET.lists():
        decoded = []
        for value in values:
            if value[:1] in ("{", "["):
                try:
                    value = jsonsafe.loads(value)
                except jsonsafe.JSONInputError as exc:
                    raise ActionError("Validation Error", str(exc), **{key: [str(exc)]}) from exc
                except ValueError:
                    pass  # not JSON after all: the text itself is the value
            decoded.append(value)
        params[key] = decoded[0] if len(decoded) == 1 else decoded
    return _storable(params)


def _storable(value):
    """Refuse a NUL character anywhere in the parameters: PostgreSQL cannot take it in any text it compares, so
    an id or a search word holding one would fail in the database (nesting is bounded by the JSON loader)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ActionError("Validation Error", "A value holds a NUL character, which no field can contain.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    elif isinstance(value, list):
        for item in value:
            _storable(item)
    return value


def _int(params: dict, key: str, default: int, maximum: int | None = None) -> int:
    try:  # 1e400 and Infinity arrive as float('inf') from JSON: int() of it overflows
        value = int(params.get(key, default))
    except (TypeError, ValueError, OverflowError) as exc:
        raise ActionError("Validation Error", "", **{key: ["Invalid integer"]}) from exc
    if value < 0:
        raise ActionError("Validation Error", "", **{key: ["Must be a natural number"]})
    if maximum is None and value > MAX_BIGINT:
        raise ActionError("Validation Error", "", **{key: [f"Must be at most {MAX_BIGINT}"]})
    return min(value, maximum) if maximum is not None else value


def _bool(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1", "yes", "on")


def _iso(value) -> str:
    return value.replace(tzinfo=None).isoformat() if value else None


# --- shapes ----------------------------------------------------------------------------------------

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


# --- actions ---------------------------------------------------------------------------------------

def package_list(request, params):
    qs = _visible(request).order_by("identifier").values_list("identifier", flat=True)
    offset = _int(params, "offset", 0)
    limit = params.get("limit")
    return list(qs[offset:offset + _int(params, "limit", 0)] if limit not in (None, "") else qs[offset:])


def package_show(request, params):
    return package_dict(request, _dataset(request, params))


_FIELD_MAP = {"organization": "owner", "owner_org": "owner", "tags": "keyword", "res_format": "fmt",
              "groups": "subject", "name": "name", "license_id": "licence", "frequency": "frequency"}


def _apply_solr(qs, text: str, words: list[str]):
    """Apply ``field:value`` terms of a Solr-like query to ``qs``; collect the free words."""
    text = (text or "").strip()
    if not text or text == "*:*":
        return qs
    try:
        tokens = shlex.split(text.replace("(", " ").replace(")", " "))
    except ValueError as exc:
        raise ActionError("Search Query Error", f"Search Query is invalid: {text}") from exc
    for token in tokens:
        token = token.lstrip("+")
        if token.upper() in ("AND", "OR", "") or token == "*:*":  # noqa: S105
            continue
        field, sep, value = token.partition(":")
        if sep and field in _FIELD_MAP:
            value = value.strip('"')
            target = _FIELD_MAP[field]
            if target == "owner":
                qs = qs.filter(Q(owner__code=value) | Q(owner__inn=value))
            elif target == "keyword":
                qs = catalogue_filter(qs, keyword=value)
            elif target == "fmt":
                qs = catalogue_filter(qs, fmt=value.lower()) if value.lower() in ("csv", "json", "xlsx") else qs
            elif target == "name":
                qs = qs.filter(identifier=value.lower())
            else:
                qs = qs.filter(**{target: value})
        elif sep and field in ("title", "text", "notes"):
            words.append(value.strip('"'))
        elif sep:
            continue  # an unknown field: CKAN's Solr would match nothing better; ignore it
        else:
            words.append(token)
    return qs


_SORTS = {"name": "identifier", "title_string": "title", "title": "title", "metadata_modified": "modified",
          "metadata_created": "created", "score": None}


def _order(sort: str) -> list[str]:
    order = []
    for part in (sort or "score desc, metadata_modified desc").split(","):
        bits = part.split()
        if not bits:
            continue
        if bits[0] not in _SORTS:
            raise ActionError("Search Query Error", f"Invalid sort field: {bits[0]}")
        column = _SORTS[bits[0]]
        if column:
            order.append(("-" if len(bits) > 1 and bits[1].lower() == "desc" else "") + column)
    return [*order, "identifier"]


def package_search(request, params):
    words: list[str] = []
    qs = _apply_solr(_visible(request), str(params.get("q", "") or ""), words)
    fqs = params.get("fq_list") or []
    for fq in ([params["fq"]] if params.get("fq") else []) + (fqs if isinstance(fqs, list) else [fqs]):
        qs = _apply_solr(qs, str(fq), words)
    if words:
        qs = catalogue_filter(qs, q=" ".join(words))
    rows = _int(params, "rows", 10, 1000)
    start = _int(params, "start", 0)
    order = _order(str(params.get("sort", "") or ""))
    matched = list(qs.order_by(*order))
    facet_fields = params.get("facet.field") or []
    if isinstance(facet_fields, str):
        facet_fields = [facet_fields]
    limit = _int(params, "facet.limit", 50)
    mincount = _int(params, "facet.mincount", 1)
    facets, search_facets = {}, {}
    if _bool(params.get("facet"), True):
        for name in facet_fields:
            counter: Counter = Counter()
            titles = {}
            for d in matched:
                if name in ("organization", "owner_org"):
                    counter[d.owner.code] += 1
                    titles[d.owner.code] = d.owner.name
                elif name == "tags":
                    counter.update(d.keywords or [])
                elif name == "groups" and d.subject:
                    counter[d.subject] += 1
                elif name == "res_format" and any(v.is_current for v in d.versions.all()):
                    counter["CSV"] += 1
                elif name == "license_id":
                    counter[d.licence] += 1
            items = [(k, c) for k, c in counter.most_common(limit if limit else None) if c >= mincount]
            facets[name] = dict(items)
            search_facets[name] = {"title": name, "items": [
                {"name": k, "display_name": titles.get(k, k), "count": c} for k, c in items]}
    return {"count": len(matched), "sort": str(params.get("sort") or "score desc, metadata_modified desc"),
            "results": [package_dict(request, d) for d in matched[start:start + rows]],
            "facets": facets, "search_facets": search_facets}


def _organizations(request):
    return (datasets_visible_to(None).values("owner").annotate(n=Count("pk")))


def organization_list(request, params):
    counts = {row["owner"]: row["n"] for row in _organizations(request)}
    from krai.org.selectors import organisation_list as orgs

    found = [o for o in orgs() if o.pk in counts]
    sort = str(params.get("sort", "") or "title asc")
    if sort.startswith("package_count"):
        found.sort(key=lambda o: -counts[o.pk])
    elif sort.startswith("name"):
        found.sort(key=lambda o: o.code, reverse="desc" in sort)
    else:
        found.sort(key=lambda o: o.name, reverse="desc" in sort)
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", 1000)
    found = found[offset:offset + limit]
    if _bool(params.get("all_fields"), False):
        return [organization_dict(o, counts[o.pk]) for o in found]
    return [o.code for o in found]


def organization_show(request, params):
    ident = str(params.get("id", "") or "")
    from krai.org.selectors import organisation_list as orgs

    org = orgs().filter(Q(code=ident) | Q(inn=ident) if ident else Q(pk__in=[])).first()
    if org is None:
        raise ActionError("Not Found Error", "Not found")
    datasets = list(_visible(request).filter(owner=org).order_by("identifier"))
    out = organization_dict(org, len(datasets))
    if _bool(params.get("include_datasets"), False):
        out["packages"] = [package_dict(request, d) for d in datasets[:1000]]
    return out


def group_list(request, params):
    counts = Counter(s for s in datasets_visible_to(None).values_list("subject", flat=True) if s)
    names = sorted(counts)
    offset, limit = _int(params, "offset", 0), _int(params, "limit", 1000)
    names = names[offset:offset + limit]
    if _bool(params.get("all_fields"), False):
        return [{"id": n, "name": n, "title": n, "display_name": n, "package_count": counts[n],
                 "type": "group", "is_organization": False, "state": "active"} for n in names]
    return names


def tag_list(request, params):
    tags = Counter()
    for keywords in datasets_visible_to(None).values_list("keywords", flat=True):
        tags.update(keywords or [])
    query = str(params.get("query", "") or "").lower()
    names = sorted(t for t in tags if query in t.lower())
    if _bool(params.get("all_fields"), False):
        return [{"id": n, "name": n, "display_name": n, "vocabulary_id": None} for n in names]
    return names


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


def resource_show(request, params):
    dataset, version = _resource(request, params)
    return resource_dict(request, dataset, version)


def status_show(request, params):
    return {"site_title": "Krai", "site_url": request.build_absolute_uri("/").rstrip("/"),
            "site_description": "", "locale_default": "ru", "error_emails_to": None,
            "extensions": ["datastore", "dcat"], "ckan_version": CKAN_VERSION}


_FILTER_OPS = {"eq": "eq", "ne": "ne", "lt": "lt", "lte": "lte", "le": "lte", "gt": "gt", "gte": "gte",
               "ge": "gte", "in": "in", "like": "contains"}


def _search_table(request, params) -> tuple[str, Table]:
    """The resource's id and table: for the public, the current version of a published dataset in one query (the
    hot path of harvesters); anything else — drafts a publisher reads, old versions, errors — the full look-up."""
    if not request.user.is_authenticated:
        found = published_resource(params.get("resource_id") or params.get("id"))
        if found is not None:
            return found
    dataset, version = _resource(request, {"id": params.get("resource_id") or params.get("id")})
    if not version.is_current or not version.datastore_table:
        raise ActionError("Not Found Error", "Resource \"{}\" was not found.".format(params.get("resource_id")))
    return f"{dataset.identifier}-v{version.number}", datastore_table(dataset)


def datastore_search(request, params):
    resource_id, table = _search_table(request, params)
    filters = params.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = jsonsafe.loads(filters)
        except ValueError as exc:
            raise ActionError("Validation Error", "", filters=["Not a json object"]) from exc
    if not isinstance(filters, dict):
        raise ActionError("Validation Error", "", filters=["Not a json object"])
    conditions = []
    for name, value in filters.items():
        if isinstance(value, dict):
            for op, operand in value.items():
                if op not in _FILTER_OPS:
                    raise ActionError("Validation Error", "", filters=[f"unknown operator {op}"])
                conditions.append((name, _FILTER_OPS[op], operand))
        elif isinstance(value, list):
            conditions.append((name, "in", value))
        else:
            conditions.append((name, "eq", value))
    q = params.get("q") or ""
    if isinstance(q, dict):
        for name, value in q.items():
            conditions.append((name, "contains", str(value)))
        q = ""
    fields = params.get("fields") or []
    if isinstance(fields, str):
        fields = [f.strip() for f in fields.split(",") if f.strip()]
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise ActionError("Validation Error", "", fields=["A list of field names (text) expected"])
    sort = []
    for part in str(params.get("sort", "") or "").split(","):
        bits = part.strip().strip('"').split()
        if bits:
            sort.append((bits[0].strip('"'), len(bits) > 1 and bits[1].lower() == "desc"))
    limit = _int(params, "limit", 100, 32000)
    offset = _int(params, "offset", 0)
    query = Query(filters=conditions, q=str(q)[:200], sort=sort, fields=[f for f in fields if f != "_id"],
                  limit=limit, offset=offset, cursor=str(params.get("cursor", "") or ""))
    include_total = _bool(params.get("include_total"), True)
    try:
        page = table.page(query, include_total=include_total)
    except QueryError as exc:
        raise ActionError("Validation Error", "", query=[str(exc)]) from exc
    names = [f["name"] for f in page.fields]
    fmt = str(params.get("records_format", "objects") or "objects")
    if fmt == "lists":
        records = page.rows
    elif fmt in ("csv", "tsv"):
        import io

        out = io.StringIO()
        # \r\n ends a record so that a value holding a lone \r is quoted too (with \n it is not, and splits the row)
        csvsafe.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n").writerows(page.rows)
        records = out.getvalue()
    else:
        records = [{"_id": r[0], **dict(zip(names, r[1:], strict=True))} for r in page.rows]
    base = f"/api/action/datastore_search?resource_id={resource_id}"
    result = {"resource_id": resource_id, "fields": [{"id": "_id", "type": "int"}] + [
        {"id": f["name"], "type": CKAN_TYPES[f["type"]], "info": {"label": f.get("title", ""),
                                                                  "notes": f.get("description", "")}}
        for f in page.fields], "records": records, "limit": limit, "filters": filters,
        "records_format": fmt, "_links": {"start": base, "next": f"{base}&offset={offset + limit}"}}
    if offset:
        result["offset"] = offset
    if include_total:
        result["total"] = page.total
        result["total_was_estimated"] = False
    if page.next_cursor:
        result["next_page"] = {"cursor": page.next_cursor}
        if _bool(params.get("include_next_page"), False) or query.cursor:
            result["_links"]["next"] = f"{base}&cursor={page.next_cursor}"
    return result


def help_show(request, params):
    return f"CKAN-compatible action {params.get('name', '')} served by Krai; see /api/docs/ and docs/opendata.md."


ACTIONS: dict[str, Callable] = {f.__name__: f for f in (
    package_list, package_show, package_search, organization_list, organization_show, group_list, tag_list,
    resource_show, status_show, datastore_search, help_show)}


@csrf_exempt
def action(request, name: str):
    """One CKAN action: dispatch, wrap the result or the error in CKAN's envelope."""
    if request.method not in ("GET", "POST"):
        return _envelope(request, name, error={"message": "Bad request - GET or POST expected"}, status=400)
    func = ACTIONS.get(name)
    if func is None:
        return _envelope(request, name, error={"message": f"Bad request - Action name not known: {name}"},
                         status=400)
    try:
        result = func(request, _params(request))
    except ActionError as exc:
        error = {"__type": exc.kind}
        if exc.message:
            error["message"] = exc.message
        error.update(exc.fields)
        return _envelope(request, name, error=error, status=ERRORS.get(exc.kind, 400))
    return _envelope(request, name, result=result)


def util_status(request):
    """``/api/util/status``: what uData's CKAN harvester asks first."""
    return JsonResponse(status_show(request, {}))
