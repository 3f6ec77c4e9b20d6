"""The ``datastore_search`` action: the rows of a resource's datastore table with CKAN's filters (operators
included), ``q``, fields, sort, offset or cursor pages and the ``objects``/``lists``/``csv``/``tsv`` record
formats; public reads of a published current version take the one-query path.
"""

from __future__ import annotations

from krai.core import csvsafe, jsonsafe
from krai.opendata.ckan.protocol import ActionError, _bool, _int
from krai.opendata.ckan.shapes import _resource
from krai.opendata.datastore import Query, QueryError, Table
from krai.opendata.selectors import datastore_table, published_resource

CKAN_TYPES = {"string": "text", "integer": "int8", "number": "float8", "boolean": "bool", "date": "date",
              "datetime": "timestamp"}
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
