"""Planner entries for the tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from krai.org.tests.factories import StaffFactory
from krai.planner.models import Entry


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    owner = factory.SubFactory(StaffFactory)
    kind = Entry.Kind.MEETING
    title = factory.Sequence(lambda n: f"Совещание {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(minute=0, second=0, microsecond=0)
                                     + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=1))
