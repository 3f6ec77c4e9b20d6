"""Reads of priorities and ranks: the lists a resident votes from, his votes, the published snapshots."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from krai.org.selectors import municipality_get, scope_for
from krai.participation import checksums, periods
from krai.participation.models import Priority, PriorityVote, RankBuild, RankEntry, RankSnapshot


def priority_list(*, municipality_id: int | None = None, regional_only: bool = False,
                  include_inactive: bool = False) -> QuerySet[Priority]:
    """Priorities open for votes: the region-wide ones and (given a municipality) that municipality's own."""
    qs = Priority.objects.select_related("municipality")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if regional_only:
        qs = qs.filter(municipality__isnull=True)
    elif municipality_id:
        qs = qs.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))
    else:
        qs = qs.filter(municipality__isnull=True)
    return qs.order_by("municipality_id", "sort_order", "title", "pk")


def priority_get(pk: int) -> Priority:
    priority = Priority.objects.select_related("municipality").filter(pk=pk).first()
    if priority is None:
        raise Http404(_("No such priority."))
    return priority


def priority_list_managed(*, user) -> QuerySet[Priority]:
    """Priorities ``user`` may manage: all for the region's level, a municipality's for those acting there."""
    scope = scope_for(user)
    if not user.is_authenticated or not user.is_staff:
        return Priority.objects.none()
    if scope.region or user.has_perm("participation.add_priority"):
        qs = Priority.objects.all()
    else:
        qs = Priority.objects.filter(municipality_id__in=scope.municipality_ids)
    return qs.select_related("municipality").order_by("municipality_id", "sort_order", "title")


def current_votes(*, user) -> dict[int, PriorityVote]:
    """The user's votes of the current period, by priority id."""
    if not (user and user.is_authenticated):
        return {}
    period = periods.current_period()
    return {v.priority_id: v for v in PriorityVote.objects.filter(voter=user, period=period.key)}


def live_counts(*, period: str, municipality_id: int | None = None) -> dict[int, int]:
    """Votes so far in ``period`` by priority (in one municipality, or region-wide priorities in all)."""
    qs = PriorityVote.objects.filter(period=period)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    else:
        qs = qs.filter(priority__municipality__isnull=True)
    return dict(qs.values("priority_id").annotate(n=Count("id")).values_list("priority_id", "n"))


def build_list() -> QuerySet[RankBuild]:
    return RankBuild.objects.order_by("-period")


def build_get(period: str) -> RankBuild:
    build = RankBuild.objects.filter(period=period).first()
    if build is None:
        raise Http404(_("No ranks are published for this period."))
    return build


def build_votes(*, build: RankBuild):
    """(vote id, municipality id, priority id) of every vote counted in ``build``, by id — the audit export.

    The voter is not in it. Votes withdrawn before the period ended were never counted and are gone.
    """
    return (PriorityVote.objects.filter(period=build.period).order_by("pk")
            .values_list("pk", "municipality_id", "priority_id").iterator(chunk_size=10_000))


def build_verify(*, build: RankBuild) -> list[str]:
    """Recompute every checksum of ``build`` from the raw votes, in the build's own scheme; the mismatches.

    An empty list means the votes stored now give exactly the published entries, snapshots and build.
    It follows docs/participation.md step by step, in Python (not the SQL the build ran), so it checks the
    database's arithmetic too. Scheme 2 keeps a count and a sum per group; scheme 1 keeps the ids.
    """
    groups: dict[tuple[int, int], list[int]] = {}  # scheme 2: [count, sum]; scheme 1: the ids
    for pk, municipality_id, priority_id in build_votes(build=build):
        group = groups.setdefault((municipality_id, priority_id), [] if build.scheme == 1 else [0, 0])
        if build.scheme == 1:
            group.append(pk)
        else:
            group[0] += 1
            group[1] += checksums.vote_hash(pk)

    def recomputed(key: tuple[int, int]) -> tuple[int, str]:
        group = groups.pop(key, None)
        if not group:
            return 0, ""
        if build.scheme == 1:
            return len(group), checksums.entry_checksum_v1(group)
        return group[0], checksums.entry_checksum_of_sum(group[0], group[1])

    problems: list[str] = []
    municipal: list[tuple[int, str]] = []
    entries = RankEntry.objects.filter(snapshot__build=build, snapshot__municipality__isnull=False)
    by_snapshot: dict[int, list[RankEntry]] = {}
    for entry in entries.order_by("snapshot_id", "priority_id"):
        by_snapshot.setdefault(entry.snapshot_id, []).append(entry)
    for snapshot in RankSnapshot.objects.filter(build=build, municipality__isnull=False).order_by("municipality_id"):
        lines = []
        for entry in by_snapshot.get(snapshot.pk, []):
            votes, digest = recomputed((snapshot.municipality_id, entry.priority_id))
            if (votes, digest) != (entry.votes, entry.checksum):
                problems.append(f"municipality {snapshot.municipality_id}, priority {entry.priority_id}: published "
                                f"{entry.votes} votes {entry.checksum[:16]}, the votes give {votes} {digest[:16]}")
            lines.append((entry.priority_id, votes, digest))
        digest = checksums.snapshot_checksum(lines)
        if digest != snapshot.checksum:
            problems.append(f"municipality {snapshot.municipality_id}: snapshot checksum differs")
        municipal.append((snapshot.municipality_id, digest))
    for (municipality_id, priority_id), _group in sorted(groups.items()):
        problems.append(f"municipality {municipality_id}, priority {priority_id}: votes in no published entry")
    if checksums.regional_checksum(municipal) != build.checksum:
        problems.append("the build's checksum differs")
    return problems


def latest_build() -> RankBuild | None:
    return RankBuild.objects.order_by("-built_at", "-pk").first()


@dataclass(frozen=True)
class Rank:
    build: RankBuild
    snapshot: RankSnapshot
    entries: list[RankEntry]


def rank_get(*, period: str = "", municipality_id: int | None = None) -> Rank | None:
    """A published snapshot with its entries in order (the latest period unless ``period`` is given)."""
    build = build_get(period) if period else latest_build()
    if build is None:
        return None
    if municipality_id:
        municipality_get(municipality_id, include_inactive=True)
    snapshot = RankSnapshot.objects.filter(build=build, municipality_id=municipality_id or None).first()
    if snapshot is None:
        raise Http404(_("No rank for this municipality in this period."))
    entries = list(RankEntry.objects.filter(snapshot=snapshot).select_related("priority")
                   .order_by("position", "priority__title", "priority_id"))
    return Rank(build=build, snapshot=snapshot, entries=entries)


def rank_history(*, priority: Priority, municipality_id: int | None = None) -> list[RankEntry]:
    """A priority's place in every published period (in a municipality, or the region), oldest first."""
    return list(RankEntry.objects.filter(priority=priority, snapshot__municipality_id=municipality_id)
                .select_related("snapshot__build").order_by("snapshot__build__period"))
