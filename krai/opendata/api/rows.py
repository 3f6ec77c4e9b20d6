"""The rows API's hot path: a JSON page of a published dataset answered without DRF's request cycle.

DRF's view (``views.DatasetRows``) wraps the request, authenticates, checks permissions and negotiates the
renderer on every call; for the commonest read — JSON rows of a published dataset — none of that can change the
answer (the dataset is public, the view allows anyone, JSON is what the client accepts), and on 100-row pages it
cost as much as the query (issue 12). ``fast_rows`` answers exactly that case with the same body and headers and
returns None for everything else — XML, a draft, a missing dataset, a bad query — which DRF's view then answers
as before, errors in the documented format included.
"""

from __future__ import annotations

import json

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse

from krai.opendata import selectors
from krai.opendata.datastore import Page, QueryError


def rows_body(request: HttpRequest, params, page: Page) -> dict:
    """The JSON document of a page: fields, rows as objects, total, next cursor and the next page's URL."""
    names = ["_id", *(f["name"] for f in page.fields)]
    next_url = None
    if page.next_cursor:
        copy = params.copy()
        copy["cursor"] = page.next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{copy.urlencode()}")
    return {"fields": page.fields, "rows": [dict(zip(names, r, strict=True)) for r in page.rows],
            "total": page.total, "next_cursor": page.next_cursor, "next": next_url}


def dumps(body) -> bytes:
    """Compact UTF-8 JSON, by orjson: on 100-row pages the standard encoder was a tenth of a request's CPU.

    Datetimes go through ``str`` as they did with ``json.dumps(default=str)``; a value orjson refuses (an integer
    past 64 bits echoed from a hostile query) falls back to the standard encoder rather than failing."""
    try:
        return orjson.dumps(body, default=str, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def json_response(body: dict, *, status: int = 200) -> HttpResponse:
    # encoded here rather than by DRF's renderer: on 100-row pages rendering cost more than the query
    return HttpResponse(dumps(body), content_type="application/json", status=status)


def wants_json(request: HttpRequest) -> bool:
    """True when DRF's negotiation (JSON first, XML second) would surely pick JSON; doubtful cases say False."""
    if request.GET.get("format", "json") != "json":
        return False
    accept = request.headers.get("Accept", "")
    if "xml" in accept:
        return False
    return not accept.strip() or "*/*" in accept or "application/json" in accept or "application/*" in accept


def include_total(params) -> bool:
    return params.get("total", "").lower() in ("1", "true", "yes")


def fast_rows(request: HttpRequest, identifier: str, *, headers: dict[str, str]) -> HttpResponse | None:
    """The JSON page of a published dataset, or None when DRF's view must answer (see the module's note)."""
    if request.method != "GET" or not wants_json(request):
        return None
    table = selectors.published_table(identifier)
    if table is None:
        return None
    params = request.GET
    try:
        page = table.page(selectors.query_from_params(params), include_total=include_total(params))
    except (QueryError, DjangoValidationError):
        return None  # DRF's view answers the error in the API's format
    response = json_response(rows_body(request, params, page))
    for name, value in headers.items():  # what DRF's view adds (Allow, Vary: Accept), so both answers match
        response[name] = value
    return response
