"""The demo's media: sources switched off, a month of articles grouped into stories, topics and today's flood."""

from __future__ import annotations

import io
import random

import pytest

from krai.monitoring.media.demo import load_media
from krai.monitoring.media.models import Alert, Article, Source, Story
from krai.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_a_spike_today():
    StaffFactory()
    load_media(scale=1, stdout=io.StringIO(), rng=random.Random(7))
    assert Source.objects.count() == 4 and not Source.objects.filter(active=True).exists()
    assert Article.objects.count() > 40
    assert Story.objects.filter(sources_count__gte=2).exists()
    assert list(Alert.objects.values_list("topic__name", flat=True)) == ["Паводок"]
    before = Article.objects.count()
    load_media(scale=1, stdout=io.StringIO(), rng=random.Random(7))
    assert Article.objects.count() == before
