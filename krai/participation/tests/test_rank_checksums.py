"""The rank checksums: scheme 2's formula on both engines, the verifier, tampering, and old scheme-1 builds."""

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from krai.participation import checksums, periods, services
from krai.participation.models import PriorityVote, RankBuild, RankEntry
from krai.participation.selectors.priorities import build_verify
from krai.participation.tests.factories import PriorityFactory, ResidentFactory

pytestmark = pytest.mark.django_db

AFTER = timezone.now() + dt.timedelta(days=400)

#: PostgreSQL 15's ``SELECT hashint8extended(id, 0)`` for these ids, read once from the server: the
#: formula's reference values, so the Python implementation is checked on SQLite too.
REFERENCE = {1: -3670598878359251130, 42: 8010225493015854792, 1001: 8498276189814291888,
             1002: -2490817735854728666, 1003: 6745288675734329520, 2**32 + 5: 1285040586020892459}


def test_vote_hash_is_postgresqls_integer_hash():
    for vote_id, signed in REFERENCE.items():
        assert checksums.vote_hash(vote_id) == signed % 2**64


def test_the_published_reference_implementation_is_the_one_the_build_uses():
    """docs/participation.md gives verifiers a vote_hash in Python: it must be this one, example included."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "participation.md").read_text()
    section = docs[docs.index("### Checksums (recompute them yourself)"):]
    code = section[section.index("```python") + len("```python"):section.index("```", section.index("```python") + 9)]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the documentation's own example, run as a reader would
    for vote_id in (*REFERENCE, *range(0, 100_000, 997)):
        assert namespace["vote_hash"](vote_id) == checksums.vote_hash(vote_id)
    total = sum(checksums.vote_hash(i) for i in (17, 42, 108)) % 2**64
    assert f'"2:3:{total}"' in section and checksums.entry_checksum_v2([108, 17, 42]) == hashlib.sha256(
        f"2:3:{total}".encode()).hexdigest()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with the PostgreSQL server's own hash")
def test_vote_hash_agrees_with_the_server_on_many_ids():
    ids = [0, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**40 + 7, 2**62, -1, -(2**33), *range(1, 5000, 7),
           *(n * 2_654_435_761 % 2**63 for n in range(1, 500))]
    with connection.cursor() as cursor:
        cursor.execute("SELECT x, hashint8extended(x, 0) FROM unnest(%s::bigint[]) AS x", [ids])
        server = dict(cursor.fetchall())
    assert {vote_id: checksums.vote_hash(vote_id) for vote_id in ids} == {k: v % 2**64 for k, v in server.items()}


def test_an_entry_checksum_is_the_same_literal_on_either_engine(town):
    """Votes with fixed ids: the database's aggregate (SQL on PostgreSQL, Python on SQLite) gives one value."""
    priority = PriorityFactory()
    key = periods.current_period().key
    for vote_id in (1001, 1002, 1003):
        PriorityVote.objects.create(id=vote_id, voter=ResidentFactory(home_municipality=town), priority=priority,
                                    municipality=town, period=key, slot=1)
    build = services.rank_build(actor=None, period=key, now=AFTER)
    entry = RankEntry.objects.get(snapshot__build=build, snapshot__municipality=town, priority=priority)
    total = sum(REFERENCE[i] for i in (1001, 1002, 1003)) % 2**64
    assert entry.checksum == hashlib.sha256(f"2:3:{total}".encode()).hexdigest()
    assert build.scheme == 2 and build_verify(build=build) == []


def test_the_checksum_does_not_depend_on_the_order_of_the_votes():
    ids = [5, 17, 42, 108, 2**33 + 1]
    assert checksums.entry_checksum_v2(ids) == checksums.entry_checksum_v2(reversed(ids))
    assert checksums.entry_checksum_v2(ids) != checksums.entry_checksum_v2(ids[:-1])
    assert checksums.entry_checksum_v2(ids) != checksums.entry_checksum_v2([*ids[:-1], 43])
    assert checksums.entry_checksum_v2([]) == ""


def cast_votes(town, village) -> tuple:
    roads, parks = PriorityFactory(), PriorityFactory()
    for n in range(6):
        services.priority_vote(actor=ResidentFactory(home_municipality=town if n < 4 else village),
                               priority=roads if n % 2 else parks)
    return roads, parks


def test_tampering_with_one_vote_changes_the_checksums_and_the_verifier_says_where(town, village):
    roads, parks = cast_votes(town, village)
    build = services.rank_build(actor=None, period=periods.current_period().key, now=AFTER)
    assert build_verify(build=build) == []
    call_command("verify_ranks", build.period, stdout=(out := io.StringIO()))
    assert "verified" in out.getvalue()

    vote = PriorityVote.objects.filter(municipality=town, priority=parks).order_by("pk").first()
    PriorityVote.objects.filter(pk=vote.pk).update(priority=roads)  # moved from parks to roads after publication
    problems = build_verify(build=build)
    assert any(f"priority {parks.pk}" in p for p in problems) and any(f"priority {roads.pk}" in p for p in problems)
    assert "the build's checksum differs" in problems
    with pytest.raises(CommandError, match="do not match"):
        call_command("verify_ranks", build.period, stdout=io.StringIO())

    PriorityVote.objects.filter(pk=vote.pk).update(priority=parks)  # put back: the published checksums hold again
    assert build_verify(build=build) == []
    PriorityVote.objects.filter(pk=vote.pk).delete()
    assert build_verify(build=build)


def test_a_build_sealed_in_scheme_1_stays_verifiable_by_scheme_1(town, village, monkeypatch):
    roads, _parks = cast_votes(town, village)
    monkeypatch.setattr(checksums, "CURRENT_SCHEME", 1)  # as builds were sealed before scheme 2
    build = services.rank_build(actor=None, period=periods.current_period().key, now=AFTER)
    assert build.scheme == 1
    entry = RankEntry.objects.get(snapshot__build=build, snapshot__municipality=town, priority=roads)
    ids = sorted(PriorityVote.objects.filter(municipality=town, priority=roads).values_list("pk", flat=True))
    assert entry.checksum == hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()
    assert build_verify(build=build) == []
    build.scheme = 2  # read with the other scheme's formula, the same votes do not give its checksums
    assert build_verify(build=build)


@pytest.mark.django_db(transaction=True)
def test_builds_sealed_before_the_migration_get_scheme_1_and_still_verify(town, village, monkeypatch):
    """A build sealed by scheme 1, then the schema as it was before scheme 2, then the migration forward."""
    from django.db.migrations.executor import MigrationExecutor

    cast_votes(town, village)
    monkeypatch.setattr(checksums, "CURRENT_SCHEME", 1)
    sealed = services.rank_build(actor=None, period=periods.current_period().key, now=AFTER)
    monkeypatch.undo()
    MigrationExecutor(connection).migrate([("participation", "0002_suggestion")])  # no scheme column any more
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    build = RankBuild.objects.get(pk=sealed.pk)
    assert build.scheme == 1 and build.checksum == sealed.checksum
    assert build_verify(build=build) == []
    assert RankBuild._meta.get_field("scheme").default == 2  # builds made from now on
