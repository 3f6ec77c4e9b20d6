"""What a reader sees of a dataset: translated topics and column titles, the table's view (kept in the URL),
its pages and the chart's choice of columns. Pages (``views``) stay thin; this module holds the reading logic.

The table's whole view lives in the query string of the dataset's page (``/opendata/<id>/?sort=-x&f_field=…``):
opening that URL, with or without JavaScript, shows the same rows, so a view can be shared by copying the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from krai.opendata import selectors
from krai.opendata.datastore import Query, QueryError
from krai.opendata.models import Dataset

#: topics (``Dataset.subject``) the portal names in the reader's language; another value is shown as written
SUBJECTS = {
    "government": gettext_lazy("Government"), "territory": gettext_lazy("Territory"),
    "citizens": gettext_lazy("Citizens' appeals"), "participation": gettext_lazy("Participation"),
    "education": gettext_lazy("Education"), "health": gettext_lazy("Health"), "culture": gettext_lazy("Culture"),
    "sport": gettext_lazy("Sport"), "finance": gettext_lazy("Finance"), "labour": gettext_lazy("Labour"),
    "economy": gettext_lazy("Economy"), "agriculture": gettext_lazy("Agriculture"),
    "ecology": gettext_lazy("Ecology"), "construction": gettext_lazy("Construction"),
    "transport": gettext_lazy("Transport"), "housing": gettext_lazy("Housing and utilities"),
    "social": gettext_lazy("Social support"), "safety": gettext_lazy("Safety"), "tourism": gettext_lazy("Tourism"),
}
FORMATS = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX", "xml": "XML"}

TABLE_ROWS = 50
#: numbered pages while the last page's offset stays below this many rows (an OFFSET walks the rows it skips);
#: a bigger view pages by keyset ("next"), which costs the same at any depth
OFFSET_ROWS_MAX = 10_000
#: the table's own parameters, besides the data API's (``q``, ``sort``, ``<field>__<op>``)
FORM_PARAMS = ("f_field", "f_op", "f_value")


def subject_label(code: str) -> str:
    return str(SUBJECTS.get(code, code))


def column_title(spec: dict) -> str:
    """A column's title in the reader's language (``title_en`` in English where the structure gives one)."""
    if (get_language() or "").startswith("en") and spec.get("title_en"):
        return spec["title_en"]
    return spec.get("title") or spec["name"]


def operators() -> list[tuple[str, str]]:
    return [("eq", "="), ("ne", "≠"), ("lt", "<"), ("lte", "≤"), ("gt", ">"), ("gte", "≥"),
            ("contains", _("contains")), ("startswith", _("starts with"))]


def view_params(get: QueryDict) -> QueryDict:
    """The table's view as it belongs in a URL: empty values and page positions dropped, the form's filter kept
    as the form's three fields (so the form shows it again)."""
    params = get.copy()
    for key in list(params):
        if all(v == "" for v in params.getlist(key)):
            del params[key]
    if not params.get("f_field") or not params.get("f_value"):
        for key in FORM_PARAMS:
            params.pop(key, None)
    for key in ("page", "cursor", "tab"):
        params.pop(key, None)
    return params


def has_view(get: QueryDict) -> bool:
    """Whether the URL names a view of the table (then the page opens on the table)."""
    return get.get("tab") == "table" or any(key not in ("tab", "lang") for key in get)


def _query(params: QueryDict) -> QueryDict:
    """Data API parameters of a view: the form's filter becomes ``field__op=value``."""
    query = params.copy()
    field, op, value = (query.pop(k, [""])[0] for k in FORM_PARAMS)
    if field and value:
        query.appendlist(field if op in ("", "eq") else f"{field}__{op}", value)
    return query


@dataclass
class PageLink:
    number: int | None  # None: the gap of an elided range
    query: str
    current: bool = False


def _page_numbers(current: int, pages: int) -> list[int | None]:
    wanted = {1, 2, pages - 1, pages, *range(current - 2, current + 3)}
    numbers: list[int | None] = []
    for n in range(1, pages + 1):
        if n in wanted:
            numbers.append(n)
        elif numbers and numbers[-1] is not None:
            numbers.append(None)
    return numbers


def table_context(get: QueryDict, dataset: Dataset) -> dict:
    """The table of the current version for the view named by ``get``: rows, columns with their sort links,
    the filter form's values, numbered pages (with the total) or a keyset "next", and the download links."""
    view = view_params(get)
    error = ""
    try:
        page_number = max(1, int(get.get("page") or 1))
    except ValueError:
        page_number = 1
    api = _query(view)
    try:
        query = selectors.query_from_params(api, default_limit=TABLE_ROWS, max_limit=200)
        query.cursor = str(get.get("cursor") or "")
        if query.offset and "page" not in get:  # the data API's own offset, checked like any reader's
            page_number = query.offset // query.limit + 1
        elif not query.cursor:  # provisional: kept only while the view is small enough for numbered pages
            query.offset = min(page_number - 1, OFFSET_ROWS_MAX) * query.limit
        result = selectors.rows_page(dataset=dataset, query=query, include_total=True)
    except QueryError as exc:
        error, page_number = str(exc), 1
        query = Query(limit=TABLE_ROWS)
        result = selectors.rows_page(dataset=dataset, query=query, include_total=True)
    total = result.total or 0
    pages = max(1, -(-total // query.limit))
    numbered = not query.cursor and (pages - 1) * query.limit <= OFFSET_ROWS_MAX
    wanted = (min(page_number, pages) - 1) * query.limit if numbered else 0
    # past the last page, or a view too big for offsets (then page 1 of it, and keyset pages on)
    if query.offset != wanted and query.offset % query.limit == 0:
        page_number = min(page_number, pages) if numbered else 1
        query.offset = wanted
        result = selectors.rows_page(dataset=dataset, query=query, include_total=True)
    sort = query.sort[0] if query.sort else ("", False)
    columns = []
    for spec in result.fields:
        q = view.copy()
        q["sort"] = ("-" if sort == (spec["name"], False) else "") + spec["name"]
        columns.append({"spec": spec, "title": column_title(spec), "sort_query": q.urlencode(),
                        "sorted": "descending" if sort == (spec["name"], True)
                        else "ascending" if sort == (spec["name"], False) else ""})
    links: list[PageLink] = []
    if numbered and pages > 1:
        for n in _page_numbers(page_number, pages):
            q = view.copy()
            if n and n > 1:
                q["page"] = str(n)
            links.append(PageLink(n, q.urlencode(), current=n == page_number))
    next_query = ""
    if not numbered and result.next_cursor:
        nq = view.copy()
        nq["cursor"] = result.next_cursor
        next_query = nq.urlencode()
    export = _query(view)
    bom = export.copy()
    bom["bom"] = "1"
    return {"page": result, "columns": columns, "error": error, "total": total,
            "page_number": page_number if numbered else None, "pages": pages if numbered else None,
            "page_links": links, "next_query": next_query, "view_query": view.urlencode(),
            "is_later_page": bool(query.cursor),
            "fields": [{**f, "label": column_title(f)} for f in dataset.current_version.structure.get("fields", [])],
            "f_field": view.get("f_field", ""), "f_op": view.get("f_op", "eq"), "f_value": view.get("f_value", ""),
            "sort": view.get("sort", ""), "q": query.q, "export_query": export.urlencode(),
            "excel_query": bom.urlencode(), "filter_query": _filters_only(export), "operators": operators()}


def _filters_only(params: QueryDict) -> str:
    """The view's filters (not its sort or columns), for the chart, which asks the data API for its own order."""
    only = params.copy()
    for key in ("sort", "fields", "limit", "offset", "bom"):
        only.pop(key, None)
    return only.urlencode()


# --- the chart -------------------------------------------------------------------------------------

ID_NAMES = {"id", "_id", "number", "no", "num", "code", "inn", "ogrn", "kpp", "oktmo", "okato", "uid", "uuid",
            "year"}


def is_id_like(spec: dict) -> bool:
    """A column that names rows rather than measures them: a number, a code, a key (never a chart's default)."""
    name = spec["name"].lower()
    return (name in ID_NAMES or name.endswith(("_id", "_code", "_number", "_no")) or name.startswith("id_")
            or bool(spec.get("unique")))


def chart_spec(fields: list[dict], coords) -> dict | None:
    """The chart's choices and defaults: any column on the x axis, numeric columns as series. The defaults are a
    date (else a text column, else any) that is no id, and the numbers that are neither ids nor coordinates.
    None when the structure has no numeric column to draw."""
    coord_names = set(coords or ())
    numbers = [f for f in fields if f["type"] in ("integer", "number") and f["name"] not in coord_names]
    if not numbers:
        return None
    plain = [f for f in fields if not is_id_like(f) and f["name"] not in coord_names]
    x = (next((f for f in plain if f["type"] in ("date", "datetime")), None)
         or next((f for f in plain if f["type"] == "string"), None)
         or next((f for f in plain if f not in numbers), None) or fields[0])
    series = [f for f in numbers if not is_id_like(f) and f is not x][:3] or [f for f in numbers if f is not x][:1]
    return {"x": x["name"], "series": [f["name"] for f in series],
            "fields": [{"name": f["name"], "title": column_title(f), "type": f["type"]} for f in fields],
            "numbers": [{"name": f["name"], "title": column_title(f)} for f in numbers]}
