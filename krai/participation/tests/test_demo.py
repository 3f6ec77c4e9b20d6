"""The participation demo: loads on top of the org demo, is idempotent, and its ranks are the votes' ranks."""

from io import StringIO

import pytest
from django.core.management import call_command

from krai.participation import periods
from krai.participation.models import (
    Ballot,
    Campaign,
    Idea,
    Participation,
    Poll,
    PollResult,
    PriorityVote,
    RankBuild,
    RankEntry,
    ServiceRankBuild,
    ServiceRating,
    Suggestion,
)
from krai.participation.services import poll_verify

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", scale=1, only=["krai.org.demo", "krai.participation.demo"], stdout=out)
    return out.getvalue()


def state():
    return {
        "polls": list(Poll.objects.order_by("title").values_list("title", "status")),
        "ballots": Ballot.objects.count(), "participations": Participation.objects.count(),
        "votes": sorted(PriorityVote.objects.values_list("voter__email", "priority__code", "period", "slot")),
        "builds": list(RankBuild.objects.order_by("period").values_list("period", "checksum")),
        "ratings": sorted(ServiceRating.objects.values_list("service__code", "user__email", "month", "quality")),
        "service_builds": list(ServiceRankBuild.objects.values_list("month", "ratings_total")),
        "ideas": list(Idea.objects.order_by("title").values_list("title", "moderation", "status")),
    }


def test_the_demo_loads_once_and_a_second_run_changes_nothing():
    output = run_demo()
    assert "citizen@demo.krai" in output
    first = state()
    current = periods.current_period()
    assert {build for build, _checksum in first["builds"]} == {current.previous().key,
                                                                current.previous().previous().key}
    assert Poll.objects.filter(status=Poll.Status.CLOSED).count() == 2
    assert Poll.objects.filter(status=Poll.Status.PUBLISHED).count() == 3
    # a municipality's poll counts only residents verified there
    sochi = Poll.objects.get(title__startswith="Набережная Сочи")
    assert set(sochi.participations.values_list("user__home_municipality__code", flat=True)) == {"sochi"}
    assert not sochi.participations.filter(user__residence_verified=False).exists()
    assert Suggestion.objects.filter(status="new").exists()
    for result in PollResult.objects.all():
        assert result.ballots > 0 and poll_verify(poll=result.poll)
    assert PriorityVote.objects.filter(period=current.key).exists()
    assert not PriorityVote.objects.filter(voter__email="citizen@demo.krai").exists()
    assert not PriorityVote.objects.filter(voter__residence_verified=False).exists()
    assert ServiceRankBuild.objects.count() == 3 and ServiceRating.objects.exists()
    assert Campaign.objects.count() == 1 and Idea.objects.filter(moderation="pending").count() == 1
    latest = RankBuild.objects.get(period=current.previous().key)
    assert RankEntry.objects.filter(snapshot__build=latest, previous_position__isnull=False).exists()
    run_demo()
    assert state() == first
