"""The community's demo: experts verified and found by field, organisations' accounts, publications with topics
and cards, albums whose photos get their sizes, follows that make a feed, a conversation, a report in the queue —
and a second run changes nothing."""

import io
import random

import pytest
from django.core.management import call_command

from krai.org.models import Role, RoleAssignment, User
from krai.problems.tests.factories import ProblemFactory
from krai.social import demo
from krai.social.demo_data import ALBUMS, EXPERTS, PUBLICATIONS
from krai.social.models import AbuseReport, Album, Conversation, Follow, Message, Photo, Profile, Publication
from krai.social.selectors import feed, profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure(db):
    call_command("demo", only=["krai.org.demo"], stdout=io.StringIO())


def _load() -> None:
    demo.load_community(scale=1, stdout=io.StringIO(), rng=random.Random("social-demo"))


def _snapshot() -> tuple:
    return (Profile.objects.count(), Publication.objects.count(), Album.objects.count(), Photo.objects.count(),
            Follow.objects.count(), Message.objects.count(), AbuseReport.objects.count())


def test_the_demo_builds_a_living_community_once(structure, django_capture_on_commit_callbacks):
    ProblemFactory()  # a published problem for the texts to link: its card shows
    with django_capture_on_commit_callbacks(execute=True):
        _load()
    first = _snapshot()
    _load()
    assert _snapshot() == first
    verified = [spec for spec in EXPERTS if spec["verified"]]
    assert Profile.objects.filter(expert_status="verified").count() == len(verified)
    assert Profile.objects.filter(expert_status="pending").count() == len(EXPERTS) - len(verified)
    law = list(profiles.experts(field="law"))
    assert [p.user.email for p in law] == ["expert01@demo.krai"]
    assert RoleAssignment.objects.filter(user=law[0].user, role=Role.EXPERT).exists()
    assert Profile.objects.filter(kind="body", organisation__code="health").count() == 1
    assert Publication.objects.count() == len(PUBLICATIONS) + 1  # and the spam post
    assert Publication.objects.exclude(links=[]).exists()  # a demo problem, dataset or idea linked: a card shows
    assert Album.objects.count() == len(ALBUMS)
    assert Photo.objects.count() == sum(len(photos) for *_rest, photos in ALBUMS)
    assert not Photo.objects.filter(sizes_ready_at__isnull=True).exists()  # the sizes job ran on commit
    citizen = User.objects.get(email="citizen@demo.krai")
    page = feed.feed(user=citizen, limit=50)
    assert len(page.items) >= 10
    assert Conversation.objects.count() == 1 and Message.objects.count() == 2
    assert AbuseReport.objects.filter(status="open").count() == 1
