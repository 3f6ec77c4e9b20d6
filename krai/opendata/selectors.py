"""Reads of open data that pages, the APIs (v1, CKAN, the Russian layout, DCAT) and jobs share.

Published datasets are public; drafts are seen only by staff who may change them (the owner within
their scope). A dataset that is missing or not visible answers the same ``Http404``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from krai.opendata.datastore import Query, Table
from krai.opendata.models import Dataset, DatasetVersion
from krai.org.selectors import scope_for

FACETS = ("owner", "subject", "format", "frequency", "keyword")


def datasets_visible_to(user) -> QuerySet[Dataset]:
    """Published datasets, plus the drafts of organisations within a staff member's scope."""
    qs = Dataset.objects.select_related("owner").prefetch_related(
        Prefetch("versions", queryset=DatasetVersion.objects.filter(is_current=True), to_attr="_current_list"))
    published = Q(status=Dataset.Status.PUBLISHED)
    if user is not None and user.is_authenticated and user.is_staff:
        scope = scope_for(user)
        if user.is_superuser or scope.region:
            return qs
        own = scope.q(organisation="owner")
        return qs.filter(published | own)
    return qs.filter(published)


def _current(dataset: Dataset) -> DatasetVersion | None:
    if hasattr(dataset, "_current_list"):
        dataset._current_version = dataset._current_list[0] if dataset._current_list else None
    return dataset.current_version


def dataset_get_for_user(*, user, identifier: str) -> Dataset:
    dataset = datasets_visible_to(user).filter(identifier=str(identifier).lower()).first()
    if dataset is None:
        raise Http404
    _current(dataset)
    return dataset


def datasets_managed_by(user) -> QuerySet[Dataset]:
    """The datasets a staff member publishes (owners within his scope), drafts included."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return Dataset.objects.none()
    scope = scope_for(user)
    qs = Dataset.objects.select_related("owner").order_by("title")
    if user.is_superuser or scope.region:
        return qs
    return qs.filter(scope.q(organisation="owner"))


@dataclass
class Catalogue:
    datasets: list[Dataset]
    count: int
    facets: dict[str, list[tuple[str, str, int]]]  # facet → [(value, label, count)]


def catalogue_filter(qs: QuerySet[Dataset], *, q: str = "", owner: str = "", subject: str = "", fmt: str = "",
                     frequency: str = "", keyword: str = "") -> QuerySet[Dataset]:
    if any("\x00" in str(value or "") for value in (q, owner, subject, fmt, frequency, keyword)):
        return qs.none()  # no passport holds a NUL, and PostgreSQL refuses one in a comparison
    for word in str(q or "").lower().split()[:10]:
        qs = qs.filter(search_text__contains=word)
    if owner:
        qs = qs.filter(owner__code=owner)
    if subject:
        qs = qs.filter(subject=subject)
    if fmt:
        qs = qs.filter(versions__is_current=True, versions__source_format=fmt.lower()).distinct()
    if frequency:
        qs = qs.filter(frequency=frequency)
    if keyword:
        qs = qs.filter(search_text__contains=keyword.lower())
        qs = [d for d in qs if keyword in (d.keywords or [])]  # exact keyword, after the index narrowed it
        return Dataset.objects.filter(pk__in=[d.pk for d in qs]).select_related("owner")
    return qs


def catalogue(*, user, q: str = "", owner: str = "", subject: str = "", fmt: str = "", frequency: str = "",
              keyword: str = "", offset: int = 0, limit: int = 20, order: str = "title") -> Catalogue:
    """The catalogue page: matching datasets, their count and the facets of the whole match."""
    qs = catalogue_filter(datasets_visible_to(user), q=q, owner=owner, subject=subject, fmt=fmt,
                          frequency=frequency, keyword=keyword)
    matched = list(qs.order_by(order, "pk"))
    counters: dict[str, Counter] = {name: Counter() for name in FACETS}
    labels: dict[tuple[str, str], str] = {}
    for dataset in matched:
        version = _current(dataset)
        counters["owner"][dataset.owner.code] += 1
        labels[("owner", dataset.owner.code)] = dataset.owner.short_name or dataset.owner.name
        if dataset.subject:
            counters["subject"][dataset.subject] += 1
        if version:
            counters["format"][version.source_format] += 1
        counters["frequency"][dataset.frequency] += 1
        labels[("frequency", dataset.frequency)] = str(dataset.get_frequency_display())
        for kw in dataset.keywords or []:
            counters["keyword"][kw] += 1
    facets = {name: [(value, labels.get((name, value), value), count)
                     for value, count in counter.most_common(20)] for name, counter in counters.items()}
    return Catalogue(datasets=matched[offset:offset + limit], count=len(matched), facets=facets)


def version_get(dataset: Dataset, number: int) -> DatasetVersion:
    version = dataset.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def datastore_table(dataset: Dataset) -> Table:
    """The current version's datastore table; 404 when the dataset has no data yet."""
    version = _current(dataset)
    if version is None or not version.datastore_table:
        raise Http404
    return Table(version.datastore_table, version.structure.get("fields", []))


def published_table(identifier: str) -> Table | None:
    """The current datastore table of a published dataset in one plain query (the hot path of the rows API:
    the ORM's full dataset read cost more than the page itself); None when not published or without data."""
    with connection.cursor() as cursor:
        cursor.execute(_PUBLISHED_TABLE_SQL, [str(identifier).lower(), Dataset.Status.PUBLISHED])
        found = cursor.fetchone()
    if not found or not found[0]:
        return None
    structure = found[1] if isinstance(found[1], dict) else json.loads(found[1] or "{}")
    return Table(found[0], structure.get("fields", []))


_PUBLISHED_TABLE_SQL = (
    f"SELECT v.datastore_table, v.structure FROM {Dataset._meta.db_table} d "  # noqa: S608 (model table names)
    f"JOIN {DatasetVersion._meta.db_table} v ON v.dataset_id = d.id AND v.is_current "
    "WHERE d.identifier = %s AND d.status = %s")


def published_resource(resource_id: str) -> tuple[str, Table] | None:
    """CKAN's resource ``<identifier>-v<n>`` (or the identifier alone: its current version) when it is the current,
    loaded version of a published dataset: ``(resource id, table)`` in one plain query, as ``published_table``;
    None for everything else (the caller's full look-up then answers, drafts and old versions included)."""
    ident = str(resource_id or "").strip().lower()
    identifier, _sep, number = ident.rpartition("-v")
    candidates = [(identifier, int(number)), (ident, None)] if identifier and number.isdigit() else [(ident, None)]
    with connection.cursor() as cursor:
        for name, wanted in candidates:
            cursor.execute(_PUBLISHED_RESOURCE_SQL, [name, Dataset.Status.PUBLISHED])
            found = cursor.fetchone()
            if found:  # the dataset exists and is published: its current version answers, or nothing fast does
                if not found[2] or (wanted is not None and found[1] != wanted):
                    return None
                structure = found[3] if isinstance(found[3], dict) else json.loads(found[3] or "{}")
                return f"{found[0]}-v{found[1]}", Table(found[2], structure.get("fields", []))
    return None


_PUBLISHED_RESOURCE_SQL = (
    f"SELECT d.identifier, v.number, v.datastore_table, v.structure FROM {Dataset._meta.db_table} d "  # noqa: S608
    f"JOIN {DatasetVersion._meta.db_table} v ON v.dataset_id = d.id AND v.is_current "
    "WHERE d.identifier = %s AND d.status = %s")


def rows_page(*, dataset: Dataset, query: Query, include_total: bool = False):
    return datastore_table(dataset).page(query, include_total=include_total)


RESERVED = {"q", "sort", "fields", "limit", "cursor", "offset", "total", "format", "page", "_", "size", "bom"}


def query_from_params(params, *, default_limit: int = 100, max_limit: int = 1000) -> Query:
    """A datastore query from request parameters: ``field=v``, ``field__op=v``, ``q``, ``sort=-f``,
    ``fields=a,b``, ``limit``, ``cursor``, ``offset``. Unknown fields surface as ``QueryError`` later."""
    from krai.opendata.datastore import QueryError

    filters = []
    for key in params:
        if key in RESERVED or key.startswith("_"):
            continue
        name, _sep, op = key.partition("__")
        for value in params.getlist(key) if hasattr(params, "getlist") else [params[key]]:
            filters.append((name, op or "eq", value))
    sort = []
    for item in str(params.get("sort", "") or "").split(","):
        item = item.strip()
        if item:
            sort.append((item.lstrip("-"), item.startswith("-")))
    fields = [f.strip() for f in str(params.get("fields", "") or "").split(",") if f.strip()]
    try:
        limit = int(params.get("limit", default_limit) or default_limit)
        offset = int(params.get("offset", 0) or 0)
    except ValueError as exc:
        raise QueryError(_("limit and offset are whole numbers.")) from exc
    return Query(filters=filters, q=str(params.get("q", "") or "")[:200], sort=sort, fields=fields,
                 limit=max(1, min(limit, max_limit)), offset=max(0, offset), cursor=str(params.get("cursor", "") or ""))
