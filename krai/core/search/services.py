"""Keeping the search index: ``index_object`` and ``remove_object``, called by the areas.

Indexing is not a person's act but the system's (an area's service or an event subscriber calls it when
an object changes), so these functions check no permission and record no event: the index is derived
data, rebuilt from the objects at will. Who may *find* an entry is decided when searching, from its
``visibility`` and scope descriptor.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from krai.core.search.models import SearchEntry

MAX_BODY = 100_000  # characters of text indexed per object


def _clean(text) -> str:
    """Text without control characters (the snippet markers are control characters)."""
    return "".join(ch for ch in str(text or "") if ch >= " " or ch in "\n\t").strip()


def _vector():
    return (SearchVector("title", weight="A", config="russian")
            + SearchVector("body", weight="B", config="russian"))


@transaction.atomic
def index_object(*, target: models.Model, title: str, body: str = "", url: str = "",
                 visibility: str = SearchEntry.Visibility.PUBLIC, language: str = "ru", organisation_path: str = "",
                 block_id: int | None = None, municipality_id: int | None = None,
                 owner_id: int | None = None) -> SearchEntry:
    """Put ``target`` in the index, or update its entry (one entry per object).

    ``visibility`` is "public" or "staff"; for staff entries the scope descriptor (``organisation_path``
    — the organisation's materialised path —, ``block_id``, ``municipality_id``, ``owner_id``) says who
    finds it (``SearchEntry``). ``url`` is a path on this site or an http(s) address.
    """
    title, body, url = _clean(title)[:500], _clean(body)[:MAX_BODY], str(url or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("An indexed object needs a title.")
    if visibility not in SearchEntry.Visibility.values:
        errors["visibility"] = _("Visibility is public or staff.")
    if url and not ((url.startswith("/") and not url.startswith("//")) or url.startswith(("https://", "http://"))):
        errors["url"] = _("A link is a path on this site (/orders/1/) or an http(s) address.")
    if len(url) > 500:
        errors["url"] = _("A link is at most 500 characters.")
    if errors:
        raise ValidationError(errors)
    content_type = ContentType.objects.get_for_model(target)
    entry, _created = SearchEntry.objects.update_or_create(
        content_type=content_type, object_id=str(target.pk),
        defaults={"kind": f"{content_type.app_label}.{content_type.model}", "title": title, "body": body,
                  "url": url, "language": (language or "ru")[:8], "visibility": visibility,
                  "organisation_path": organisation_path or "", "block_id": block_id,
                  "municipality_id": municipality_id, "owner_id": owner_id})
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(pk=entry.pk).update(search_vector=_vector())
    # SQLite: the triggers of migration 0002 have already updated search_fts.
    return entry


@transaction.atomic
def remove_object(target: models.Model) -> bool:
    """Take ``target`` out of the index; False if it was not there."""
    content_type = ContentType.objects.get_for_model(target)
    deleted, _details = SearchEntry.objects.filter(content_type=content_type, object_id=str(target.pk)).delete()
    return bool(deleted)


def rebuild_fulltext() -> None:
    """Recompute the database's full-text data from the entries (after a bulk load or a repair)."""
    if connection.vendor == "postgresql":
        SearchEntry.objects.update(search_vector=_vector())
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
