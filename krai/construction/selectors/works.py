"""Reading "Find out" about infrastructure works (public, like the rest of the area): the list with its filters,
the map's GeoJSON, one street's works and the streets that have works, one's subscriptions, the card's files and
ratings, and the staff's works in their reach. The per-body statistics are in ``works_stats``.

One definition of each figure serves the statistics and the list its number links to (``outcome``), so a number
on the statistics page is the length of that list:

* on time — completed with ``actual_end <= planned_end``; late — completed after ``planned_end``;
* slipping now — not completed, and its planned end passed, or its planned start passed unstarted;
* the average rating — all ratings of the body's works over their number (as problems' statistics count it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from krai.construction import policy
from krai.construction.models import Work, WorkRating, WorkStatus, WorkSubscription
from krai.construction.selectors.history import history_of
from krai.core.files.models import Attachment
from krai.core.search import query as search_query
from krai.org.models import Organisation
from krai.org.scopes import scope_for

OUTCOMES = ("completed", "on_time", "late", "slipping", "rated")
SEARCH_MAX = 200
MAP_MAX = 5000


def _variants(text: str) -> set[str]:
    """SQLite's LIKE folds the case of Latin letters only: the usual spellings of a Cyrillic word are matched each
    (PostgreSQL's ILIKE needs one)."""
    return {text, text.lower(), text.capitalize(), text.upper(), text[:1].upper() + text[1:]}


def _contains(names: tuple[str, ...], text: str) -> Q:
    condition = Q(pk__in=[])
    for variant in _variants(text):
        for name in names:
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def on_time_q() -> Q:
    return Q(status=WorkStatus.COMPLETED, actual_end__lte=F("planned_end"))


def late_q() -> Q:
    return Q(status=WorkStatus.COMPLETED, actual_end__gt=F("planned_end"))


def slipping_q(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return ~Q(status=WorkStatus.COMPLETED) & (Q(planned_end__lt=today)
                                              | Q(actual_start__isnull=True, planned_start__lt=today))


OUTCOME_Q = {"completed": lambda: Q(status=WorkStatus.COMPLETED), "on_time": on_time_q, "late": late_q,
             "slipping": slipping_q, "rated": lambda: Q(ratings_count__gt=0)}


def work_get(pk: Any) -> Work:
    """One work, or ``Http404``."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    work = (Work.objects.select_related("municipality", "responsible_body", "programme", "created_by")
            .filter(pk=pk).first())
    if work is None:
        raise Http404
    return work


def public_works(*, municipality: Any = None, kind: str = "", status: str = "", street: str = "", q: str = "",
                 date_from: date | None = None, date_to: date | None = None, body: Any = None,
                 outcome: str = "") -> QuerySet[Work]:
    """The works matching the filters: the period is the one the work takes (actual dates where known, planned
    ones otherwise) overlapping the dates given; ``body`` is that body exactly; ``outcome`` one of ``OUTCOMES``."""
    rows = Work.objects.select_related("municipality", "responsible_body", "programme")
    if municipality:
        rows = rows.filter(municipality_id=getattr(municipality, "pk", municipality))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if body:
        rows = rows.filter(responsible_body_id=getattr(body, "pk", body))
    if outcome in OUTCOME_Q:
        rows = rows.filter(OUTCOME_Q[outcome]())
    if date_from or date_to:
        rows = rows.annotate(_from=Coalesce("actual_start", "planned_start"),
                             _to=Coalesce("actual_end", "planned_end"))
        if date_from:
            rows = rows.filter(_to__gte=date_from)
        if date_to:
            rows = rows.filter(_from__lte=date_to)
    street = " ".join(str(street or "").split())[:SEARCH_MAX]
    if street:
        rows = rows.filter(_contains(("street", "address"), street))
    for word in search_query.words(str(q or "")[:SEARCH_MAX]):
        rows = rows.filter(_contains(("name", "address", "contractor", "description", "funding"),
                                     search_query.crude_stem(word)))
    return rows.order_by("planned_start", "id")


def street_list(municipality_id: int | None, street: str) -> QuerySet[Work]:
    """The works on one street as a resident types it: the street's name or the address holds what he typed."""
    if not " ".join(str(street or "").split()):
        return Work.objects.none()
    return public_works(municipality=municipality_id, street=street)


def street_suggestions(municipality_id: int | None, typed: str, limit: int = 10) -> list[str]:
    """Names of streets that have works, holding what was typed (in the municipality, when one is given)."""
    typed = " ".join(str(typed or "").split())[:SEARCH_MAX]
    if len(typed) < 2:
        return []
    rows = Work.objects.exclude(street="").filter(_contains(("street",), typed))
    if municipality_id:
        rows = rows.filter(municipality_id=municipality_id)
    names = rows.order_by("street").values_list("street", flat=True).distinct()[:max(1, min(limit, 50))]
    return list(names)


def _feature(work: Work) -> dict[str, Any]:
    return {"type": "Feature", "id": work.pk, "geometry": {"type": "Point", "coordinates": [work.lon, work.lat]},
            "properties": {"id": work.pk, "name": work.name, "kind": work.kind, "kind_label": work.get_kind_display(),
                           "status": work.status, "status_label": work.get_status_display(),
                           "url": work.get_absolute_url(), "shape": work.geometry}}


def map_geojson(rows: QuerySet[Work], bbox: tuple[float, float, float, float] | None = None) -> dict[str, Any]:
    """The works as a GeoJSON FeatureCollection of points, each with its line or outline (``shape``) if known;
    at most ``MAP_MAX`` (``truncated`` says when more matched)."""
    rows = rows.filter(lat__isnull=False, lon__isnull=False)
    if bbox is not None:
        west, south, east, north = bbox
        rows = rows.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    found = list(rows[:MAP_MAX + 1])
    return {"type": "FeatureCollection", "features": [_feature(w) for w in found[:MAP_MAX]],
            "truncated": len(found) > MAP_MAX}


def late_days(work: Work, today: date | None = None) -> dict[str, int]:
    """How many days late the work is: ``start`` (started after the planned start, or not started and the planned
    start passed) and ``end`` (completed after the planned end, or not completed and the planned end passed)."""
    today = today or timezone.localdate()
    started = work.actual_start or today
    ended = work.actual_end or today
    return {"start": max((started - work.planned_start).days, 0),
            "end": max((ended - work.planned_end).days, 0)}




def my_subscriptions(user: Any) -> QuerySet[WorkSubscription]:
    if not policy.is_active_user(user):
        return WorkSubscription.objects.none()
    return (WorkSubscription.objects.filter(user=user).select_related("work", "work__municipality")
            .order_by("-created_at", "-id"))


def is_subscribed(user: Any, work: Work) -> bool:
    return policy.is_active_user(user) and WorkSubscription.objects.filter(user=user, work=work).exists()


def my_rating(user: Any, work: Work) -> WorkRating | None:
    if not policy.is_active_user(user):
        return None
    return WorkRating.objects.filter(user=user, work=work).first()


def ratings_of(work: Work) -> QuerySet[WorkRating]:
    """The ratings with a comment, newest first (their authors named only as the community names them)."""
    return WorkRating.objects.filter(work=work).exclude(comment="").select_related("user").order_by("-updated_at")


def files_of(work: Work) -> tuple[list[Attachment], list[Attachment]]:
    """The work's documents and photos, in upload order."""
    rows = list(Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Work),
                                          object_id=str(work.pk)).order_by("created_at", "id"))
    return [a for a in rows if a.kind != Attachment.Kind.IMAGE], [a for a in rows if a.kind == Attachment.Kind.IMAGE]


def history_shown(work: Work, limit: int = 100) -> list[dict[str, Any]]:
    """The card's history: each change's fields by their names as people read them (the line or outline is
    named, not printed)."""
    shown = []
    for change in history_of(work)[:limit]:
        rows = []
        for name, (old, new) in (change.changes or {}).items():
            try:
                label = str(Work._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # a field since removed keeps its row under its own name
                label = name
            if name == "geometry":
                old, new = ("✓" if old else ""), ("✓" if new else "")
            rows.append((label, old, new))
        shown.append({"at": change.at, "note": change.note, "rows": rows})
    return shown


def managed_works(user: Any) -> QuerySet[Work]:
    """The works of the bodies the staff member's scope covers (his subtree, block or municipality; keepers: every
    work) — the same reach as ``policy.manages_work``."""
    rows = Work.objects.select_related("municipality", "responsible_body")
    if policy.is_keeper(user):
        return rows
    if not policy.may_enter_works(user):
        return rows.none()
    return rows.filter(scope_for(user).q(organisation="responsible_body"))


def managed_work_get(user: Any, pk: Any) -> Work:
    """One work the staff member manages, or ``Http404`` — the same for a missing one and another body's."""
    work = work_get(pk)
    if not policy.manages_work(user, work):
        raise Http404
    return work


def bodies_for(user: Any) -> QuerySet[Organisation]:
    """The bodies whose works the staff member enters: those his scope covers (keepers: every active body)."""
    rows = Organisation.objects.filter(is_active=True).select_related("parent").order_by("path")
    if policy.is_keeper(user):
        return rows
    if not policy.may_enter_works(user):
        return rows.none()
    return rows.filter(scope_for(user).q(organisation=""))


def responsible_bodies() -> QuerySet[Organisation]:
    """The bodies that have works (the list's filter)."""
    return Organisation.objects.filter(pk__in=Work.objects.values("responsible_body_id")).order_by("name")


def open_rows() -> Iterator[dict[str, Any]]:
    """Every work as the open dataset publishes it (no personal data: no one who entered, followed or rated it —
    only the ratings' number and average)."""
    rows = Work.objects.select_related("municipality", "responsible_body", "programme").order_by("pk")
    for work in rows.iterator(chunk_size=2000):
        yield {"id": work.pk, "name": work.name, "kind": str(work.get_kind_display()),
               "status": str(work.get_status_display()), "address": work.address, "street": work.street,
               "municipality": work.municipality.name, "responsible_body": work.responsible_body.name,
               "contractor": work.contractor, "contractor_inn": work.contractor_inn,
               "programme": work.programme.title if work.programme_id else "", "funding": work.funding,
               "cost": float(work.cost) if work.cost is not None else None,
               "planned_start": work.planned_start, "planned_end": work.planned_end,
               "actual_start": work.actual_start, "actual_end": work.actual_end,
               "ratings": work.ratings_count, "rating": work.rating,
               "lat": round(work.lat, 6) if work.lat is not None else None,
               "lon": round(work.lon, 6) if work.lon is not None else None, "updated": work.updated_at.date()}
