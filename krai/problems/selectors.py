"""Reads of the problems area that pages, API, Open311 and dashboards share.

Published problems are public; a problem awaiting moderation or rejected is seen by its author, its
moderators and the responsible body only — to anyone else it answers 404, exactly like a missing one.
Workspace lists are narrowed by the acting user's scope (the organisation answering, the municipality).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Case, Count, F, FloatField, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Floor
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.files.selectors import attachments_for
from krai.org.selectors import organisation_list, scope_for
from krai.problems import buckets, grid
from krai.problems.models import Category, Endorsement, Problem, ProblemRating, ProblemUpdate, Subscription

STATUS_GROUPS = {"open": Problem.OPEN, "closed": (Problem.Status.FIXED, Problem.Status.CLOSED)}
POINTS_FROM_ZOOM = 15  # at this zoom and closer the map gets single problems, further out clusters
MAX_POINTS = 2000


# --- categories ---------------------------------------------------------------------------------

def category_list(*, include_inactive: bool = False) -> QuerySet[Category]:
    qs = Category.objects.select_related("parent")
    return qs if include_inactive else qs.filter(is_active=True)


def category_leaves() -> list[Category]:
    """The themes residents choose (active ones without active children), grouped by their parent's order."""
    categories = list(category_list())
    parents = {c.parent_id for c in categories if c.parent_id}
    leaves = [c for c in categories if c.pk not in parents]
    return sorted(leaves, key=lambda c: ((c.parent.sort_order, c.parent.name) if c.parent_id else
                                         (c.sort_order, c.name), c.sort_order, c.name))


def category_get(*, code: str = "", pk: int | None = None) -> Category:
    qs = category_list()
    category = qs.filter(pk=pk).first() if pk is not None else qs.filter(code=code).first()
    if category is None:
        raise Http404(_("No such category."))
    return category


def _category_ids(category: Category | None) -> list[int]:
    if category is None:
        return []
    return [category.pk, *Category.objects.filter(parent=category).values_list("pk", flat=True)]


# --- problems -----------------------------------------------------------------------------------

def _base() -> QuerySet[Problem]:
    return Problem.objects.select_related("category", "category__parent", "municipality", "organisation", "author")


def published() -> QuerySet[Problem]:
    return _base().filter(status__in=Problem.PUBLISHED, duplicate_of__isnull=True)


def _bodies_named(text: str) -> list[int]:
    """Organisations whose name contains ``text`` in any case. Matched here, not by the database: SQLite's
    LIKE folds only Latin letters, and a few hundred names are read in a blink."""
    needle = text.casefold()
    names = organisation_list(include_inactive=True).values_list("pk", "name")
    return [pk for pk, name in names if needle in name.casefold()]


@dataclass(frozen=True)
class Filters:
    """What a list or the map is narrowed by (every field optional)."""

    category: Category | None = None
    status: str = ""  # a status, or "open"/"closed"
    municipality_id: int | None = None
    organisation_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    text: str = ""
    body: str = ""  # part of the responsible body's name (the workspace's searchable filter)

    def key(self) -> tuple:
        """A stable, hashable form (the category by its id) for cache keys."""
        return (self.category.pk if self.category else None, self.status, self.municipality_id,
                self.organisation_id, self.date_from, self.date_to, self.overdue, self.text, self.body)

    def apply(self, qs: QuerySet[Problem]) -> QuerySet[Problem]:
        if self.category is not None:
            qs = qs.filter(category_id__in=_category_ids(self.category))
        if self.status in STATUS_GROUPS:
            qs = qs.filter(status__in=STATUS_GROUPS[self.status])
        elif self.status:
            qs = qs.filter(status=self.status)
        if self.municipality_id:
            qs = qs.filter(municipality_id=self.municipality_id)
        if self.organisation_id:
            qs = qs.filter(organisation_id=self.organisation_id)
        if self.date_from:
            qs = qs.filter(created_at__date__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(created_at__date__lte=self.date_to)
        if self.overdue:
            qs = qs.filter(status__in=Problem.AWAITING_REACTION, due_date__lt=timezone.localdate())
        if self.body:
            qs = qs.filter(organisation_id__in=_bodies_named(self.body))
        if self.text:
            text = self.text.strip().lstrip("№#").strip()
            condition = Q(public_description__icontains=self.text) | Q(address__icontains=self.text)
            if text.isdigit() and len(text) < 12:  # a report's number
                condition |= Q(pk=int(text))
            qs = qs.filter(condition)
        return qs


def problem_list(*, filters: Filters | None = None, order: str = "new") -> QuerySet[Problem]:
    """Published problems for everyone (newest first, or the most endorsed)."""
    qs = (filters or Filters()).apply(published())
    return qs.order_by("-endorsements_count", "-id") if order == "endorsed" else qs.order_by("-id")


def problem_get_for_user(*, user, pk: Any) -> Problem:
    """A problem ``user`` may see; missing and forbidden both raise Http404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such problem.")) from None
    problem = _base().filter(pk=pk).first()
    if problem is None or not user.has_perm("problems.view_problem", problem):
        raise Http404(_("No such problem."))
    return problem


def timeline(*, user, problem: Problem) -> list[ProblemUpdate]:
    """A problem's history: the public entries, or everything for its moderators and body."""
    qs = problem.updates.select_related("actor", "organisation")
    staff = user.has_perm("problems.moderate_problem", problem) or user.has_perm("problems.answer_problem", problem)
    return list(qs if staff else qs.filter(is_public=True))


def photos(*, user, problem: Problem) -> list:
    return list(attachments_for(user=user, target=problem).filter(kind="image"))


def photos_apart(*, user, problem: Problem) -> tuple[list, list]:
    """The resident's photos and the answer's, apart: the author's uploads are the report's; any other
    (staff attaching the result of a fix) belong to the answer."""
    mine, answer = [], []
    for photo in photos(user=user, problem=problem):
        (mine if photo.uploaded_by_id == problem.author_id else answer).append(photo)
    return mine, answer


def has_endorsed(*, user, problem: Problem) -> bool:
    return bool(user.is_authenticated and Endorsement.objects.filter(problem=problem, user=user).exists())


def is_subscribed(*, user, problem: Problem) -> bool:
    return bool(user.is_authenticated and Subscription.objects.filter(problem=problem, user=user).exists())


def my_problems(*, user) -> QuerySet[Problem]:
    if not user.is_authenticated:
        return Problem.objects.none()
    return _base().filter(author=user).order_by("-id")


def similar_nearby(*, lat: float, lon: float, category: Category | None, radius_m: int = 300,
                   limit: int = 5) -> list[Problem]:
    """Open published problems of the same theme near a point: endorse one of them instead of repeating it."""
    if category is None or not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 89:
        return []
    dlat = radius_m / 111_320
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    qs = published().filter(status__in=Problem.OPEN, category=category, lat__range=(lat - dlat, lat + dlat),
                            lon__range=(lon - dlon, lon + dlon))
    return sorted(qs[:50], key=lambda p: (p.lat - lat) ** 2 + ((p.lon - lon) * math.cos(math.radians(lat))) ** 2
                  )[:limit]


# --- the map ------------------------------------------------------------------------------------

def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees, else ValueError."""
    parts = [float(part) for part in (value or "").split(",")]
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        raise ValueError("bbox")
    west, south, east, north = parts
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90) or west > east:
        raise ValueError("bbox")
    return west, south, east, north


def cell_size(zoom: int) -> float:
    """Degrees of longitude per cluster cell: a quarter of a 256-pixel tile at ``zoom``."""
    return 360.0 / (2 ** max(0, min(zoom, 22))) / 4


def _category_names() -> dict[int, str]:
    key = "krai:problems:category-names"
    names = cache.get(key)
    if names is None:
        names = dict(Category.objects.values_list("id", "name"))
        cache.set(key, names, 300)
    return names


CACHE_BELOW_ZOOM = 13  # cluster answers further out than this are cached …
CACHE_SECONDS = 60  # … this long: a regional view is the same for everyone, a minute's staleness is harmless


def _snap(bbox: tuple[float, float, float, float], step: float) -> tuple[float, float, float, float]:
    west, south, east, north = bbox
    return (max(-180.0, math.floor(west / step) * step), max(-90.0, math.floor(south / step) * step),
            min(180.0, math.ceil(east / step) * step), min(90.0, math.ceil(north / step) * step))


def _in_buckets(filters: Filters) -> bool:
    """Whether every filter is a dimension of the pre-aggregated buckets (else the view is counted live)."""
    return (not (filters.organisation_id or filters.overdue or filters.text or filters.body)
            and buckets.exact())


def map_features(*, bbox: tuple[float, float, float, float], zoom: int, filters: Filters | None = None,
                 use_cache: bool = True, use_grid: bool = True) -> dict:
    """Published problems in a bounding box: single points when close, else server-side clusters.

    One query either way; a cluster is a grid cell's count and centroid, so the answer stays small and
    fast however many problems there are. Far out (zoom < 13) the box is widened to whole blocks of
    cells and the answer cached for a minute, so panning around the region costs one query per block.
    Without filters, zoom 12 and further out read the pre-aggregated grid (``krai.problems.grid``): the
    same clusters from a few thousand rows, however many problems there are; filtered by theme, status,
    municipality and dates only, they read the buckets of exactly those filters (``krai.problems.buckets``).
    """
    if use_cache and zoom < CACHE_BELOW_ZOOM:
        bbox = _snap(bbox, cell_size(zoom) * 8)
        key = "krai:problems:map:" + hashlib.sha1(repr((zoom, bbox, (filters or Filters()).key())).encode(),
                                                  usedforsecurity=False).hexdigest()
        data = cache.get(key)
        if data is None:
            data = map_features(bbox=bbox, zoom=zoom, filters=filters, use_cache=False, use_grid=use_grid)
            cache.set(key, data, CACHE_SECONDS)
        return data
    if use_grid and zoom <= grid.GRID_ZOOM and (filters is None or filters.key() == Filters().key()):
        clusters, points = grid.clusters(bbox=bbox, zoom=zoom)
        return {"mode": "clusters", "clusters": clusters, "points": points}
    if use_grid and zoom <= grid.GRID_ZOOM and filters is not None and _in_buckets(filters):
        clusters, points = buckets.clusters(
            bbox=bbox, zoom=zoom, municipality_id=filters.municipality_id, category_ids=_category_ids(filters.category),
            statuses=STATUS_GROUPS.get(filters.status, (filters.status,) if filters.status else ()),
            date_from=filters.date_from, date_to=filters.date_to)
        return {"mode": "clusters", "clusters": clusters, "points": points}
    west, south, east, north = bbox
    qs = (filters or Filters()).apply(Problem.objects.filter(status__in=Problem.PUBLISHED,
                                                             duplicate_of__isnull=True))
    qs = qs.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    if zoom >= POINTS_FROM_ZOOM:
        # no join: a join can turn the planner from the box index to a scan of the primary key
        rows = list(qs.order_by("-id").values_list("id", "lat", "lon", "status", "category_id")[:MAX_POINTS + 1])
        names = _category_names()
        return {"mode": "points", "truncated": len(rows) > MAX_POINTS,
                "points": [{"id": pk, "lat": lat, "lon": lon, "status": status, "category": names.get(category, "")}
                           for pk, lat, lon, status, category in rows[:MAX_POINTS]]}
    size = cell_size(zoom)
    cells = (qs.annotate(gx=Floor(F("lon") / size, output_field=FloatField()),
                         gy=Floor(F("lat") / size, output_field=FloatField()))
             .values("gx", "gy").order_by()
             .annotate(n=Count("id"), lat=Avg("lat"), lon=Avg("lon"), first=Min("id")))
    clusters, points = [], []
    for cell in cells:
        if cell["n"] == 1:
            points.append({"id": cell["first"], "lat": cell["lat"], "lon": cell["lon"]})
        else:
            clusters.append({"count": cell["n"], "lat": round(cell["lat"], 6), "lon": round(cell["lon"], 6)})
    return {"mode": "clusters", "clusters": clusters, "points": points}


# --- workspace ----------------------------------------------------------------------------------

def workspace_queue(*, user, filters: Filters | None = None) -> QuerySet[Problem]:
    """Problems routed to the organisations in ``user``'s scope (or its municipalities): open ones first, the
    nearest deadline first among them, then the answered and closed ones."""
    scope = scope_for(user)
    if scope.region:
        qs = _base().exclude(status__in=(Problem.Status.NEW, Problem.Status.REJECTED))
    else:
        condition = scope.q(organisation="organisation")
        if scope.municipality_ids:
            condition |= Q(municipality_id__in=scope.municipality_ids)
        qs = _base().filter(condition).exclude(status__in=(Problem.Status.NEW, Problem.Status.REJECTED))
    qs = (filters or Filters()).apply(qs)
    is_open = Case(When(status__in=Problem.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.order_by(is_open, F("due_date").asc(nulls_last=True), "id")


def moderation_queue(*, user, filters: Filters | None = None) -> QuerySet[Problem]:
    """Reports awaiting moderation in the places ``user`` moderates (all of them for region-wide roles), the
    oldest first; narrowed by ``filters`` (theme, municipality, text)."""
    scope = scope_for(user)
    qs = (filters or Filters()).apply(_base().filter(status=Problem.Status.NEW)).order_by("id")
    if not user.has_perm("problems.access_workspace"):
        return qs.none()
    if scope.region or scope.has_role("administrator", "controller"):
        return qs
    if scope.has_role("head") and scope.municipality_ids:
        return qs.filter(municipality_id__in=scope.municipality_ids)
    return qs.none()


def body_names(*, user) -> list[str]:
    """The names of the bodies answering problems in ``user``'s queue: suggestions for the body filter."""
    qs = workspace_queue(user=user).exclude(organisation__isnull=True).order_by()
    return sorted(set(qs.values_list("organisation__name", flat=True).distinct()))


def my_rating(*, user, problem: Problem):
    """``user``'s rating of the problem's current fix cycle, or None."""
    if not user.is_authenticated:
        return None
    return ProblemRating.objects.filter(problem=problem, cycle=problem.cycle, user=user).first()


def can_rate(*, user, problem: Problem) -> bool:
    """The author or a supporter, the result reported, not yet rated by him in this cycle."""
    return bool(user.is_authenticated and problem.status in (Problem.Status.FIXED, Problem.Status.CLOSED)
                and not problem.duplicate_of_id and user.has_perm("problems.rate_problem", problem)
                and my_rating(user=user, problem=problem) is None)


@dataclass
class StatRow:
    """Figures of one body or municipality."""

    key: int
    name: str
    received: int
    answered: int
    on_time: int
    fixed: int
    overdue: int
    rating: float | None
    ratings: int = 0

    @property
    def on_time_share(self) -> int:
        return round(100 * self.on_time / self.answered) if self.answered else 0


def statistics(*, user, by: str = "organisation") -> list[StatRow]:
    """Received, answered (on time), fixed, overdue, average rating — per body or per municipality.

    The rating is the average of every rating of each problem's latest rated fix cycle (a reopened and
    fixed again problem counts with its new ratings, not the old fix's).
    """
    field = "organisation" if by == "organisation" else "municipality"
    today = timezone.localdate()
    qs = workspace_queue(user=user).exclude(**{f"{field}__isnull": True}).order_by()
    rows = qs.values(f"{field}_id", f"{field}__name").annotate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=Q(answered_at__isnull=False, due_date__isnull=False)
                      & Q(answered_at__date__lte=F("due_date"))),
        fixed=Count("id", filter=Q(status=Problem.Status.FIXED)),
        overdue=Count("id", filter=Q(status__in=Problem.AWAITING_REACTION, due_date__lt=today)),
        ratings=Sum("ratings_count"), ratings_total=Sum("ratings_total"),
    ).order_by(f"{field}__name")
    return [StatRow(key=r[f"{field}_id"], name=r[f"{field}__name"], received=r["received"], answered=r["answered"],
                    on_time=r["on_time"], fixed=r["fixed"], overdue=r["overdue"], ratings=r["ratings"] or 0,
                    rating=round(r["ratings_total"] / r["ratings"], 2) if r["ratings"] else None) for r in rows]


# --- one resident's own activity (read by the portal's "my activity" page) ----------------------------------

def my_subscriptions(*, user) -> QuerySet[Subscription]:
    """The problems ``user`` follows, newest first."""
    if not user.is_authenticated:
        return Subscription.objects.none()
    return Subscription.objects.filter(user=user).select_related("problem").order_by("-created_at", "-id")


def my_endorsements(*, user) -> QuerySet[Endorsement]:
    if not user.is_authenticated:
        return Endorsement.objects.none()
    return Endorsement.objects.filter(user=user).select_related("problem").order_by("-created_at", "-id")


def my_ratings(*, user) -> QuerySet[ProblemRating]:
    """The results ``user`` rated, every fix cycle, newest first."""
    if not user.is_authenticated:
        return ProblemRating.objects.none()
    return ProblemRating.objects.filter(user=user).select_related("problem").order_by("-created_at", "-id")
