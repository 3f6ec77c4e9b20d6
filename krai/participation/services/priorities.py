"""Writes of priorities: the lists (staff), residents' votes, and the rank build of a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.org.selectors import municipality_list
from krai.participation import checksums, periods
from krai.participation.models import Priority, PriorityVote, RankBuild, RankEntry, RankSnapshot
from krai.participation.models.priorities import MAX_SLOTS
from krai.participation.services._common import require, require_confirmed_resident

WEIGHTINGS = ("votes", "population")


def votes_per_period() -> int:
    limit = int(getattr(settings, "KRAI_PRIORITY_VOTES_PER_PERIOD", 5))
    if not 1 <= limit <= MAX_SLOTS:
        raise ImproperlyConfigured(f"KRAI_PRIORITY_VOTES_PER_PERIOD must be from 1 to {MAX_SLOTS}")
    return limit


def regional_weighting() -> str:
    weighting = getattr(settings, "KRAI_RANK_REGIONAL_WEIGHTING", "population")
    if weighting not in WEIGHTINGS:
        raise ImproperlyConfigured(f"KRAI_RANK_REGIONAL_WEIGHTING must be one of {WEIGHTINGS}, not {weighting!r}")
    return weighting


# --- staff: the lists ------------------------------------------------------------------------------

@transaction.atomic
def priority_create(*, actor, title: str, description: str = "", municipality=None, code: str = "",
                    sort_order: int = 0) -> Priority:
    """Add a priority to the region's list (no municipality) or to a municipality's own list."""
    candidate = Priority(municipality=municipality)
    if municipality is None:
        require(actor, "participation.add_priority", message=_("Only the region's level may add region-wide "
                                                               "priorities."))
    else:
        require(actor, "participation.change_priority", candidate,
                message=_("You may add priorities only for municipalities within your scope."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("A priority needs a title.")})
    code = slugify(code or "")[:64] or f"p-{slugify(title, allow_unicode=False)[:40] or 'priority'}"
    base, n = code, 1
    while Priority.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:58]}-{n}"
    priority = Priority.objects.create(code=code, title=title[:300], description=(description or "").strip(),
                                       municipality=municipality, sort_order=sort_order, created_by=actor)
    record_event(kind="participation.priority_created", actor=actor, subject=priority,
                 payload={"title": priority.title, "municipality": municipality.pk if municipality else None})
    return priority


@transaction.atomic
def priority_update(*, actor, priority: Priority, **fields: Any) -> Priority:
    """Change a priority's title, description, order, or open/close it for votes (its votes stay)."""
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    require(actor, "participation.change_priority", priority, message=_("You do not manage this priority."))
    allowed = {"title", "description", "is_active", "sort_order"}
    if set(fields) - allowed:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(set(fields) - allowed))})
    if "title" in fields and not str(fields["title"] or "").strip():
        raise ValidationError({"title": _("A priority needs a title.")})
    changed = {}
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(priority, name) != value:
            changed[name] = value
            setattr(priority, name, value)
    if changed:
        priority.save()
        record_event(kind="participation.priority_updated", actor=actor, subject=priority, payload=changed)
    return priority


# --- residents: votes ------------------------------------------------------------------------------

def _refuse_voter(actor) -> None:
    require_confirmed_resident(actor, verb=_("vote"))
    if not (actor.residence_verified and actor.home_municipality_id):
        raise PermissionDenied(_("Priority votes count for your home municipality: have your residence verified "
                                 "first."))


@transaction.atomic
def priority_vote(*, actor, priority: Priority) -> PriorityVote:
    """Give ``actor``'s vote of the current period to ``priority``; it counts for his home municipality.

    Refused: a second vote for the same priority in the period, more votes than the period allows, a
    priority of another municipality, a closed priority. The database refuses the first two by itself
    (unique vote per priority and period; unique numbered slot per period), also for votes sent at once.
    """
    _refuse_voter(actor)
    require(actor, "participation.vote_priority", priority)
    priority = Priority.objects.select_related("municipality").get(pk=priority.pk)
    if not priority.is_active:
        raise ValidationError(_("This priority is closed for votes."), code="closed")
    if priority.municipality_id is not None and priority.municipality_id != actor.home_municipality_id:
        raise ValidationError(_("This is a priority of %(name)s: only its residents vote for it.")
                              % {"name": priority.municipality.name}, code="not_in_audience")
    period = periods.current_period()
    mine = PriorityVote.objects.filter(voter=actor, period=period.key)
    if mine.filter(priority=priority).exists():
        raise ValidationError(_("You have already voted for this priority in %(period)s.") % {"period": period.key},
                              code="already_voted")
    limit = votes_per_period()
    used = set(mine.values_list("slot", flat=True))
    free = [slot for slot in range(1, limit + 1) if slot not in used]
    if not free:
        raise ValidationError(_("You have given all %(n)s of your votes of %(period)s. Withdraw one to vote "
                                "for another priority.") % {"n": limit, "period": period.key}, code="no_votes_left")
    try:
        with transaction.atomic():
            vote = PriorityVote.objects.create(voter=actor, priority=priority, period=period.key, slot=free[0],
                                               municipality_id=actor.home_municipality_id)
    except IntegrityError:
        raise ValidationError(_("Your vote for this priority is already counted (or your votes of the period are "
                                "used up)."), code="already_voted") from None
    record_event(kind="participation.priority_voted", actor=actor, subject=priority,
                 payload={"period": period.key, "municipality": actor.home_municipality_id})
    return vote


@transaction.atomic
def priority_unvote(*, actor, priority: Priority) -> None:
    """Withdraw ``actor``'s vote for ``priority`` in the current period (an earlier period's are history)."""
    require_confirmed_resident(actor, verb=_("vote"))
    period = periods.current_period()
    deleted, _rows = PriorityVote.objects.filter(voter=actor, priority=priority, period=period.key).delete()
    if not deleted:
        raise ValidationError(_("You have not voted for this priority in %(period)s.") % {"period": period.key})
    record_event(kind="participation.priority_vote_withdrawn", actor=actor, subject=priority,
                 payload={"period": period.key})


# --- the rank build --------------------------------------------------------------------------------

def _entry_checksum_sql(scheme: int) -> str:
    """The SQL aggregate of an entry's checksum over the votes ``v`` of its group, in ``scheme``."""
    if connection.vendor == "postgresql":
        if scheme == 1:  # sorts every group's ids (builds sealed before scheme 2; the benchmark compares it)
            return "encode(sha256(convert_to(string_agg(v.id::text, ',' ORDER BY v.id), 'UTF8')), 'hex')"
        # mod twice: SUM of the signed hashes may be negative, and the text has the unsigned residue
        return ("encode(sha256(convert_to('2:' || COUNT(*) || ':' || mod(mod(SUM(hashint8extended(v.id, 0)), "
                "18446744073709551616) + 18446744073709551616, 18446744073709551616), 'UTF8')), 'hex')")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        aggregate = {1: checksums.Sha256OfIds, 2: checksums.VoteHashSum}[scheme]
        connection.connection.create_aggregate(f"krai_entry_checksum_v{scheme}", 1, aggregate)
        return f"krai_entry_checksum_v{scheme}(v.id)"
    raise ImproperlyConfigured("rank builds run on PostgreSQL or SQLite")


def _tables() -> dict[str, str]:
    return {"vote": PriorityVote._meta.db_table, "priority": Priority._meta.db_table,
            "snapshot": RankSnapshot._meta.db_table, "entry": RankEntry._meta.db_table,
            "municipality": apps.get_model("org", "Municipality")._meta.db_table}


#: Every municipality's rank in ONE set-based pass over the period's votes. First the votes are grouped
#: by (municipality, priority): count, and the entry checksum from the sum of the vote ids' hashes
#: (``krai.participation.checksums``; no sort). That pass is a CREATE TABLE … AS SELECT of its own because
#: PostgreSQL runs an INSERT … SELECT on one core but this on parallel workers, as the bare GROUP BY is.
GROUPS_SQL = """
CREATE TEMPORARY TABLE krai_rank_groups AS
SELECT v.municipality_id AS m, v.priority_id AS pr, COUNT(*) AS n, {entry_checksum} AS h
FROM {vote} v
WHERE v.period = %(period)s
GROUP BY v.municipality_id, v.priority_id
"""
#: Then the ranks from those groups (1,540 rows for 10 M votes): rank with a window function, join last
#: period's place.
MUNICIPAL_SQL = """
INSERT INTO {entry} (snapshot_id, priority_id, votes, score, position, previous_position, checksum)
SELECT s.id, p.id, COALESCE(a.n, 0), COALESCE(a.n, 0),
       RANK() OVER (PARTITION BY s.id ORDER BY COALESCE(a.n, 0) DESC),
       prev.position, COALESCE(a.h, '')
FROM {snapshot} s
JOIN {priority} p ON (p.municipality_id IS NULL OR p.municipality_id = s.municipality_id)
LEFT JOIN krai_rank_groups a ON a.m = s.municipality_id AND a.pr = p.id
LEFT JOIN {snapshot} ps ON ps.build_id = %(previous)s AND ps.municipality_id = s.municipality_id
LEFT JOIN {entry} prev ON prev.snapshot_id = ps.id AND prev.priority_id = p.id
WHERE s.build_id = %(build)s AND s.municipality_id IS NOT NULL
  AND ((p.is_active AND p.created_at < %(period_end)s) OR a.n IS NOT NULL)
"""

#: The region's rank from the municipalities' entries (44 × priorities rows, not the votes): region-wide
#: priorities only, scored by plain votes or by population-weighted shares (see docs/participation.md).
REGIONAL_SCORE = {
    "votes": "SUM(e.votes)",
    "population": ("SUM(CASE WHEN t.total > 0 THEN CAST(m.population AS BIGINT) * 1000 * e.votes / t.total "
                   "ELSE 0 END)"),
}
REGIONAL_SQL = """
INSERT INTO {entry} (snapshot_id, priority_id, votes, score, position, previous_position, checksum)
SELECT r.id, x.priority_id, x.votes, x.score, RANK() OVER (ORDER BY x.score DESC), prev.position, ''
FROM (
    SELECT e.priority_id AS priority_id, SUM(e.votes) AS votes, {score} AS score
    FROM {entry} e
    JOIN {snapshot} s ON s.id = e.snapshot_id
    JOIN {priority} p ON p.id = e.priority_id
    JOIN {municipality} m ON m.id = s.municipality_id
    JOIN (
        SELECT e2.snapshot_id AS snapshot_id, SUM(e2.votes) AS total
        FROM {entry} e2 JOIN {priority} p2 ON p2.id = e2.priority_id
        WHERE p2.municipality_id IS NULL
        GROUP BY e2.snapshot_id
    ) t ON t.snapshot_id = s.id
    WHERE s.build_id = %(build)s AND s.municipality_id IS NOT NULL AND p.municipality_id IS NULL
    GROUP BY e.priority_id
) x
JOIN {snapshot} r ON r.build_id = %(build)s AND r.municipality_id IS NULL
LEFT JOIN {snapshot} ps ON ps.build_id = %(previous)s AND ps.municipality_id IS NULL
LEFT JOIN {entry} prev ON prev.snapshot_id = ps.id AND prev.priority_id = x.priority_id
"""


def snapshot_checksum(entries: list[tuple[int, int, str]]) -> str:
    """A municipality's checksum (``checksums.snapshot_checksum``; the same in every scheme)."""
    return checksums.snapshot_checksum(entries)


def regional_checksum(snapshots: list[tuple[int, str]]) -> str:
    """The region's and the build's checksum (``checksums.regional_checksum``; the same in every scheme)."""
    return checksums.regional_checksum(snapshots)


def _seal(build: RankBuild) -> None:
    entries: dict[int, list[tuple[int, int, str]]] = {}
    for snapshot_id, priority_id, votes, checksum in (RankEntry.objects.filter(snapshot__build=build)
                                                      .values_list("snapshot_id", "priority_id", "votes", "checksum")):
        entries.setdefault(snapshot_id, []).append((priority_id, votes, checksum))
    municipal: list[tuple[int, str]] = []
    total = 0
    regional = None
    for snapshot in RankSnapshot.objects.filter(build=build):
        rows = entries.get(snapshot.pk, [])
        if snapshot.municipality_id is None:
            regional = snapshot
            continue
        checksum = snapshot_checksum(rows)
        votes = sum(row[1] for row in rows)
        total += votes
        municipal.append((snapshot.municipality_id, checksum))
        RankSnapshot.objects.filter(pk=snapshot.pk)._seal(votes_total=votes, checksum=checksum)
    checksum = regional_checksum(municipal)
    assert regional is not None
    RankSnapshot.objects.filter(pk=regional.pk)._seal(
        votes_total=sum(row[1] for row in entries.get(regional.pk, [])), checksum=checksum)
    RankBuild.objects.filter(pk=build.pk)._seal(votes_total=total, checksum=checksum)


def rank_build(*, actor, period: str, now=None) -> RankBuild:
    """Build and publish the ranks of ``period`` (a key: "2026-Q1"): every municipality's and the region's.

    ``actor=None`` is the scheduled job. Refused for a period that has not ended and for one already built
    (published ranks never change). The heavy part is one INSERT … SELECT over the period's votes.
    """
    if actor is not None:
        require(actor, "participation.build_ranks", message=_("Only an administrator or a controller builds ranks."))
    target = periods.parse(period)
    today = timezone.localdate(now or timezone.now())
    if target.end > today:
        raise ValidationError({"period": _("%(period)s has not ended yet: its ranks are built after it ends.")
                               % {"period": target.key}})
    weighting = regional_weighting()
    with transaction.atomic():
        if RankBuild.objects.filter(period=target.key).exists():
            raise ValidationError({"period": _("The ranks of %(period)s are already built; published ranks never "
                                               "change.") % {"period": target.key}})
        previous = (RankBuild.objects.filter(period=target.previous().key).first()
                    or RankBuild.objects.filter(period__lt=target.key, period__regex=_same_kind(target))
                    .order_by("-period").first())
        try:
            with transaction.atomic():
                build = RankBuild.objects.create(period=target.key, weighting=weighting, previous=previous,
                                                 built_by=actor, scheme=checksums.CURRENT_SCHEME)
        except IntegrityError:
            raise ValidationError({"period": _("The ranks of %(period)s are already built.")
                                   % {"period": target.key}}) from None
        RankSnapshot.objects.bulk_create(
            [RankSnapshot(build=build, municipality=None)]
            + [RankSnapshot(build=build, municipality=m) for m in municipality_list(include_inactive=True)])
        params = {"build": build.pk, "previous": previous.pk if previous else None}
        tables = _tables()
        with connection.cursor() as cursor:  # the temporary table goes with the transaction if anything fails
            cursor.execute(GROUPS_SQL.format(entry_checksum=_entry_checksum_sql(build.scheme), **tables),
                           {"period": target.key})
            cursor.execute(MUNICIPAL_SQL.format(**tables), {**params, "period_end": _as_aware(target.end)})
            cursor.execute("DROP TABLE krai_rank_groups")
            cursor.execute(REGIONAL_SQL.format(score=REGIONAL_SCORE[weighting], **tables), params)
        _seal(build)
        build = RankBuild.objects.get(pk=build.pk)
        record_event(kind="participation.ranks_built", actor=actor, subject=build,
                     payload={"period": build.period, "votes": build.votes_total, "checksum": build.checksum,
                              "weighting": weighting, "scheme": build.scheme})
    return build


def _same_kind(target: periods.Period) -> str:
    return {"month": r"^\d{4}-\d{2}$", "quarter": r"^\d{4}-Q\d$", "half": r"^\d{4}-H\d$", "year": r"^\d{4}$"}[
        target.kind]


def _as_aware(day):
    """Midnight of ``day`` in the region's time, as the database compares a datetime column to it."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return connection.ops.adapt_datetimefield_value(moment)


def rank_build_due(*, now=None) -> RankBuild | None:
    """Build the previous period's ranks if they are not built yet (the periodic job)."""
    previous = periods.current_period(now=now).previous()
    if RankBuild.objects.filter(period=previous.key).exists():
        return None
    return rank_build(actor=None, period=previous.key, now=now)
