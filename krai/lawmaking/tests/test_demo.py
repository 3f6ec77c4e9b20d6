"""Law-making's demo: drafts in every stage — a concept awaiting moderation, a discussion with supporters and
answers, an elaboration with several versions, amendments in each state and anchored comments, an expertise whose
reviews include corruption-risk findings, a reaction owed on control, each kind of decision with its act, a
stopped one with its reason — with a history in the past; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from krai.lawmaking import demo
from krai.lawmaking.demo_data import INITIATIVES
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Answer,
    Initiative,
    Reaction,
    Review,
    Stage,
    StageEntry,
    Support,
    Version,
)
from krai.orders.models import Status
from krai.orders.selectors import control_for_subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(db):
    call_command("demo", only=["krai.org.demo", "krai.social.demo"], stdout=io.StringIO())


def _snapshot() -> tuple:
    return tuple(model.objects.count() for model in (Initiative, StageEntry, Support, Answer, Version, Amendment,
                                                     Annotation, Review, Reaction))


def test_the_demo_has_drafts_in_every_stage_once(community):
    demo.load_lawmaking(scale=1, stdout=io.StringIO())
    first = _snapshot()
    demo.load_lawmaking(scale=1, stdout=io.StringIO())
    assert _snapshot() == first
    assert Initiative.objects.count() == len(INITIATIVES)
    assert set(Initiative.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Initiative.objects.get(stage=Stage.CONCEPT).published_at is None
    discussed = Initiative.objects.get(stage=Stage.DISCUSSION)
    assert discussed.support_count >= 10 and Answer.objects.filter(question__initiative=discussed).count() >= 4
    assert discussed.stage_due > timezone.localdate()
    drafted = Initiative.objects.get(stage=Stage.ELABORATION)
    assert drafted.versions.count() == 3
    assert set(drafted.amendments.values_list("status", flat=True)) == {"accepted", "rejected", "pending"}
    assert drafted.annotations.count() == 2
    reviewed = Initiative.objects.get(stage=Stage.EXPERTISE)
    assert reviewed.reviews.count() == 2 and reviewed.reviews.filter(corruption_risks_found=True).exists()
    owed = Initiative.objects.get(stage=Stage.REACTION)
    assert control_for_subject(owed).status in (Status.ISSUED, Status.IN_PROGRESS)
    assert set(Reaction.objects.values_list("decision", flat=True)) == set(Reaction.Decision.values)
    assert not Reaction.objects.filter(act_number="").exists()
    stopped = Initiative.objects.get(stage=Stage.STOPPED)
    assert stopped.stopped_reason and stopped.published_at is not None
    # a history in the past: the closed drafts began months ago, in order
    closed = Initiative.objects.filter(stage=Stage.CLOSED).first()
    entries = list(closed.stage_entries.order_by("entered_at").values_list("stage", "entered_at"))
    assert [stage for stage, _at in entries] == [s.value for s in (Stage.CONCEPT, Stage.DISCUSSION, Stage.ELABORATION,
                                                                   Stage.EXPERTISE, Stage.REACTION, Stage.CLOSED)]
    assert (timezone.now() - entries[0][1]).days >= 100
