"""Searching: one function for every area's page and API, filtered by what the user may see.

PostgreSQL ranks with ``ts_rank`` over the ``russian`` tsvector (title weighs more than body) and cuts
snippets with ``ts_headline``; SQLite ranks with FTS5's ``bm25`` (title ×10) and cuts them with
``snippet``. How words are matched differs (stemming vs stem prefixes): see ``query``. Other databases
fall back to a case-insensitive substring match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from krai.core.search import query as text_query
from krai.core.search.models import SearchEntry
from krai.core.search.scopes import scope_of

START, STOP = "\x02", "\x03"
MAX_LIMIT = 100


@dataclass(frozen=True)
class SearchResult:
    """One found object: where to go, what to show."""

    id: int
    kind: str
    target_id: str
    title: str
    url: str
    snippet: SafeString  # escaped text, the matched words in <mark>
    rank: float
    updated_at: datetime

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def kind_label(kind: str) -> str:
    """The human name of a kind ("org.organisation" → "organisation", translated); the kind if unknown."""
    try:
        return str(apps.get_model(kind)._meta.verbose_name)
    except (LookupError, ValueError):
        return kind


def visible_q(user) -> Q:
    """The entries ``user`` may find: public ones; his own; staff ones within his scope (see the model)."""
    public = Q(visibility=SearchEntry.Visibility.PUBLIC)
    if user is None or not user.is_authenticated or not user.is_active:
        return public
    condition = public | Q(owner_id=user.pk)
    if not user.is_staff and not user.is_superuser:
        return condition
    scope = scope_of(user)
    if getattr(scope, "region", False):
        return Q()
    staff = Q(visibility=SearchEntry.Visibility.STAFF)
    scoped = Q(organisation_path="", block_id__isnull=True, municipality_id__isnull=True, owner_id__isnull=True)
    for path in getattr(scope, "org_paths", ()) or ():
        if path:
            scoped |= Q(organisation_path__startswith=path)
    if getattr(scope, "block_ids", None):
        scoped |= Q(block_id__in=list(scope.block_ids))
    if getattr(scope, "municipality_ids", None):
        scoped |= Q(municipality_id__in=list(scope.municipality_ids))
    return condition | (staff & scoped)


def visible_entries(*, user, kinds: Iterable[str] | None = None) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.filter(visible_q(user))
    kinds = [kind.strip().lower() for kind in (kinds or []) if kind and kind.strip()]
    return entries.filter(kind__in=kinds) if kinds else entries


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 — escaped first


def search(*, user, query: str, kinds: Iterable[str] | None = None, limit: int = 20,
           offset: int = 0) -> list[SearchResult]:
    """The entries matching ``query`` that ``user`` may see, best first; [] for a query without words."""
    limit, offset = max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    entries = visible_entries(user=user, kinds=kinds)
    if not text_query.words(query):
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(entries, query, limit, offset)
    if connection.vendor == "sqlite":
        return _search_sqlite(entries, query, limit, offset)
    return _search_plain(entries, query, limit, offset)


def _search_postgresql(entries, query: str, limit: int, offset: int) -> list[SearchResult]:
    tsquery = SearchQuery(text_query.tsquery(query), search_type="raw", config="russian")
    ranked = list(entries.filter(search_vector=tsquery)
                  .annotate(rank=SearchRank(F("search_vector"), tsquery))
                  .order_by("-rank", "-updated_at", "id")
                  .values_list("id", "rank")[offset: offset + limit])
    if not ranked:
        return []
    # Headlines only for the page of results (ts_headline is costly: never for every match).
    rows = SearchEntry.objects.filter(id__in=[pk for pk, _rank in ranked]).annotate(
        headline=SearchHeadline("body", tsquery, config="russian", start_sel=START, stop_sel=STOP,
                                max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … "))
    by_id = {row.pk: row for row in rows}
    return [_result(by_id[pk], by_id[pk].headline, float(rank)) for pk, rank in ranked if pk in by_id]


def _search_sqlite(entries, query: str, limit: int, offset: int) -> list[SearchResult]:
    visible_sql, visible_params = entries.values("id").query.sql_with_params()
    # The inner query is Django's own, compiled with its parameters apart: no user text in the SQL.
    sql = (
        "SELECT rowid, bm25(search_fts, 10.0, 1.0) AS score, "  # noqa: S608
        "snippet(search_fts, 1, %s, %s, ' … ', 24) FROM search_fts "
        f"WHERE search_fts MATCH %s AND rowid IN ({visible_sql}) "
        "ORDER BY score LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, text_query.fts5_query(query), *visible_params, limit, offset])
        found = cursor.fetchall()
    by_id = {row.pk: row for row in SearchEntry.objects.filter(id__in=[row[0] for row in found])}
    return [_result(by_id[pk], snippet, -float(score)) for pk, score, snippet in found if pk in by_id]


def _search_plain(entries, query: str, limit: int, offset: int) -> list[SearchResult]:
    condition = Q()
    for word in text_query.words(query):
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    rows = entries.filter(condition).order_by("-updated_at", "id")[offset: offset + limit]
    return [_result(row, row.body[:200], 0.0) for row in rows]


def _result(entry: SearchEntry, snippet: str, rank: float) -> SearchResult:
    return SearchResult(id=entry.pk, kind=entry.kind, target_id=entry.object_id, title=entry.title, url=entry.url,
                        snippet=_marked(snippet or entry.body[:200]), rank=rank, updated_at=entry.updated_at)


def kinds_present(*, user) -> list[tuple[str, str]]:
    """The kinds of object the user could find, with their names (for a filter)."""
    kinds = visible_entries(user=user).order_by("kind").values_list("kind", flat=True).distinct()
    return [(kind, kind_label(kind)) for kind in kinds]
