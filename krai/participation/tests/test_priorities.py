import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.events.models import Event
from krai.org.models import Municipality
from krai.participation import periods, services
from krai.participation.checksums import entry_checksum
from krai.participation.models import (
    ImmutableError,
    Priority,
    PriorityVote,
    RankBuild,
    RankEntry,
    RankSnapshot,
)
from krai.participation.services.priorities import regional_checksum, snapshot_checksum
from krai.participation.tests.factories import PriorityFactory, ResidentFactory

pytestmark = pytest.mark.django_db

AFTER = timezone.now() + dt.timedelta(days=400)  # "now" for builds of the current period: long after it ends


def test_a_vote_counts_for_the_voters_home_municipality(resident, town):
    priority = PriorityFactory()
    vote = services.priority_vote(actor=resident, priority=priority)
    assert vote.municipality_id == town.pk and vote.period == periods.current_period().key
    assert Event.objects.filter(kind="participation.priority_voted", actor=resident).exists()


def test_who_may_not_vote_for_priorities(town):
    priority = PriorityFactory()
    for actor, match in ((AnonymousUser(), None),
                         (ResidentFactory(home_municipality=town, email_confirmed=False), "e-mail"),
                         (ResidentFactory(home_municipality=town, residence_verified=False), "residence"),
                         (ResidentFactory(home_municipality=None), "residence")):
        with pytest.raises(PermissionDenied, match=match):
            services.priority_vote(actor=actor, priority=priority)
    assert not PriorityVote.objects.exists()


def test_refused_votes_change_nothing(resident, town, village, settings):
    settings.KRAI_PRIORITY_VOTES_PER_PERIOD = 2
    first, second, third = PriorityFactory(), PriorityFactory(), PriorityFactory()
    foreign = PriorityFactory(municipality=village)
    closed = PriorityFactory(is_active=False)
    services.priority_vote(actor=resident, priority=first)
    for priority, code in ((first, "already_voted"), (foreign, "not_in_audience"), (closed, "closed")):
        with pytest.raises(ValidationError) as refused:
            services.priority_vote(actor=resident, priority=priority)
        assert refused.value.code == code
    services.priority_vote(actor=resident, priority=second)
    with pytest.raises(ValidationError) as refused:
        services.priority_vote(actor=resident, priority=third)
    assert refused.value.code == "no_votes_left"
    assert sorted(PriorityVote.objects.values_list("priority_id", "slot")) == [(first.pk, 1), (second.pk, 2)]
    services.priority_unvote(actor=resident, priority=first)
    assert services.priority_vote(actor=resident, priority=third).slot == 1
    own = PriorityFactory(municipality=town)
    with pytest.raises(ValidationError):
        services.priority_vote(actor=resident, priority=own)  # still two votes in use


def test_the_database_refuses_a_second_vote_and_a_slot_twice(resident, town):
    from django.db import IntegrityError, transaction

    first, second = PriorityFactory(), PriorityFactory()
    PriorityVote.objects.create(voter=resident, priority=first, municipality=town, period="2026-Q1", slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorityVote.objects.create(voter=resident, priority=first, municipality=town, period="2026-Q1", slot=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorityVote.objects.create(voter=resident, priority=second, municipality=town, period="2026-Q1", slot=1)


# --- the rank build --------------------------------------------------------------------------------

def recompute(period: str, weighting: str, previous: RankBuild | None) -> dict:
    """The ranks of ``period`` computed in Python from the raw votes, by the rules in docs/participation.md."""
    end = timezone.make_aware(dt.datetime.combine(periods.parse(period).end, dt.time.min))
    votes = list(PriorityVote.objects.filter(period=period).values_list("id", "municipality_id", "priority_id"))
    ids: dict[tuple[int, int], list[int]] = defaultdict(list)
    for vote_id, municipality_id, priority_id in votes:
        ids[(municipality_id, priority_id)].append(vote_id)
    priorities = list(Priority.objects.all())
    previous_positions = {} if previous is None else {
        (e.snapshot.municipality_id, e.priority_id): e.position
        for e in RankEntry.objects.filter(snapshot__build=previous).select_related("snapshot")}

    def ranked(scores: dict[int, int]) -> dict[int, int]:
        return {p: 1 + sum(1 for other in scores.values() if other > score) for p, score in scores.items()}

    result: dict = {}
    municipal_checksums = []
    shares: dict[int, dict[int, int]] = {}
    for municipality in Municipality.objects.all():
        m = municipality.pk
        chosen = [p for p in priorities
                  if (p.municipality_id in (None, m)) and ((p.is_active and p.created_at < end) or (m, p.pk) in ids)]
        scores = {p.pk: len(ids.get((m, p.pk), [])) for p in chosen}
        positions = ranked(scores)
        leaves = {p: entry_checksum(ids.get((m, p), []), scheme=2) for p in scores}
        for p in scores:
            result[(m, p)] = (scores[p], scores[p], positions[p], previous_positions.get((m, p)), leaves[p])
        municipal_checksums.append((m, snapshot_checksum([(p, scores[p], leaves[p]) for p in scores])))
        regional = {p.pk for p in chosen if p.municipality_id is None}
        shares[m] = {p: scores[p] for p in regional}
    regional_votes: dict[int, int] = defaultdict(int)
    regional_scores: dict[int, int] = defaultdict(int)
    populations = dict(Municipality.objects.values_list("pk", "population"))
    for m, counted in shares.items():
        total = sum(counted.values())
        for p, n in counted.items():
            regional_votes[p] += n
            if weighting == "votes":
                regional_scores[p] += n
            else:
                regional_scores[p] += populations[m] * 1000 * n // total if total else 0
    positions = ranked(dict(regional_scores))
    for p in regional_scores:
        result[(None, p)] = (regional_votes[p], regional_scores[p], positions[p], previous_positions.get((None, p)),
                             "")
    return {"entries": result, "checksum": regional_checksum(municipal_checksums), "votes": len(votes)}


def published(build: RankBuild) -> dict:
    return {"entries": {(e.snapshot.municipality_id, e.priority_id):
                        (e.votes, e.score, e.position, e.previous_position, e.checksum)
                        for e in RankEntry.objects.filter(snapshot__build=build).select_related("snapshot")},
            "checksum": build.checksum, "votes": build.votes_total}


def cast(voters_by_choice: dict) -> None:
    for (municipality, priority), n in voters_by_choice.items():
        for _ in range(n):
            services.priority_vote(actor=ResidentFactory(home_municipality=municipality), priority=priority)


@pytest.mark.parametrize("weighting", ["votes", "population"])
def test_a_quarters_ranks_recomputed_from_the_raw_votes_equal_the_published_ones(town, village, settings,
                                                                                   weighting):
    settings.KRAI_RANK_REGIONAL_WEIGHTING = weighting
    settings.KRAI_RANK_PERIOD = "quarter"
    third = Municipality.objects.create(region=town.region, code="third", name="Третий", kind=town.kind,
                                        population=90_000)
    roads, schools, parks, tram, pier = (PriorityFactory(title="Дороги"), PriorityFactory(title="Школы"),
                                         PriorityFactory(title="Парки"), PriorityFactory(municipality=town),
                                         PriorityFactory(municipality=village))
    # the previous quarter, written as stored votes of that quarter, to give the movement something to move from
    previous_key = periods.current_period().previous().key
    old_voter = ResidentFactory(home_municipality=town)
    for slot, priority in enumerate((parks, schools, roads), start=1):
        PriorityVote.objects.create(voter=old_voter, priority=priority, municipality=town, period=previous_key,
                                    slot=slot)
    PriorityVote.objects.create(voter=ResidentFactory(home_municipality=town), priority=parks, municipality=town,
                                period=previous_key, slot=1)
    before = services.rank_build(actor=None, period=previous_key)
    assert published(before) == recompute(previous_key, weighting, None)

    cast({(town, roads): 5, (town, schools): 3, (town, tram): 4, (town, parks): 1,
          (village, parks): 6, (village, roads): 2, (village, pier): 2, (third, schools): 2, (third, parks): 2})
    key = periods.current_period().key
    build = services.rank_build(actor=None, period=key, now=AFTER)
    assert build.previous_id == before.pk and build.weighting == weighting
    expected = recompute(key, weighting, before)
    assert published(build) == expected
    assert build.votes_total == 27
    # the movement: in the town, roads went from second (tied with schools, behind parks) to first
    town_roads = RankEntry.objects.get(snapshot__build=build, snapshot__municipality=town, priority=roads)
    assert (town_roads.position, town_roads.previous_position, town_roads.movement) == (1, 2, 1)
    town_parks = RankEntry.objects.get(snapshot__build=build, snapshot__municipality=town, priority=parks)
    assert (town_parks.position, town_parks.previous_position, town_parks.movement) == (4, 1, -3)
    town_tram = RankEntry.objects.get(snapshot__build=build, snapshot__municipality=town, priority=tram)
    assert town_tram.previous_position is None and town_tram.movement is None
    # a local priority is ranked only in its own municipality, never in the region
    assert not RankEntry.objects.filter(snapshot__build=build, snapshot__municipality__isnull=True,
                                        priority__in=[tram, pier]).exists()
    assert not RankEntry.objects.filter(snapshot__build=build, snapshot__municipality=village,
                                        priority=tram).exists()
    regional = [e.priority_id for e in RankEntry.objects.filter(snapshot__build=build,
                                                                snapshot__municipality__isnull=True)
                .order_by("position", "priority_id")]
    # by votes parks lead (9 against 7); weighted by population the big town's roads lead
    assert regional[0] == (parks.pk if weighting == "votes" else roads.pk)
    assert Event.objects.filter(kind="participation.ranks_built", payload__checksum=build.checksum).exists()


def test_published_ranks_never_change(resident, town):
    services.priority_vote(actor=resident, priority=PriorityFactory())
    key = periods.current_period().key
    with pytest.raises(ValidationError):  # the period has not ended
        services.rank_build(actor=None, period=key)
    build = services.rank_build(actor=None, period=key, now=AFTER)
    with pytest.raises(ValidationError):
        services.rank_build(actor=None, period=key, now=AFTER)
    entry = RankEntry.objects.filter(snapshot__build=build).first()
    entry.votes = 1000
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        RankEntry.objects.filter(pk=entry.pk).update(votes=1000)
    with pytest.raises(ImmutableError):
        RankSnapshot.objects.filter(build=build).delete()
    with pytest.raises(ImmutableError):
        build.delete()
    assert RankBuild.objects.count() == 1


def test_only_administrators_and_controllers_build_ranks(resident, organiser, controller):
    key = periods.current_period().previous().key
    for actor in (resident, organiser):
        with pytest.raises(PermissionDenied):
            services.rank_build(actor=actor, period=key)
    assert services.rank_build(actor=controller, period=key).built_by == controller
    with pytest.raises(ValidationError):
        services.rank_build(actor=controller, period="2026-Q5")


def test_the_nightly_job_builds_the_ended_period_once(town):
    from krai.participation import tasks

    tasks.build_due_ranks.call_local()
    tasks.build_due_ranks.call_local()
    assert list(RankBuild.objects.values_list("period", flat=True)) == [periods.current_period().previous().key]


@pytest.mark.parametrize(("kind", "day", "key", "start", "end"), [
    ("quarter", dt.date(2026, 5, 17), "2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 7, 1)),
    ("quarter", dt.date(2026, 12, 31), "2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
    ("month", dt.date(2026, 2, 28), "2026-02", dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
    ("half", dt.date(2026, 7, 1), "2026-H2", dt.date(2026, 7, 1), dt.date(2027, 1, 1)),
    ("year", dt.date(2026, 7, 1), "2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
])
def test_periods(kind, day, key, start, end):
    period = periods.period_of(day, kind=kind)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert periods.parse(key) == period
    assert period.next().previous() == period


def test_a_bad_period_key_is_refused():
    for key in ("2026-Q0", "2026-13", "26-Q1", "", "2026-H3"):
        with pytest.raises(ValidationError):
            periods.parse(key)
