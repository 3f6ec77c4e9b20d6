"""The demo loader: problems in every state over the municipalities, some overdue, idempotent."""

import io

from django.utils import timezone

from krai.problems.demo import load_problems
from krai.problems.models import Category, Open311Key, Problem
from krai.problems.tests.factories import place


def test_demo_loads_once(db, settings, monkeypatch):
    from krai.org.tests.factories import UserFactory

    for i in range(3):
        place(38.0 + i, 45.0, code=f"demo-m{i}")
    for i in range(5):
        UserFactory(email=f"citizen.{i:05d}@demo.krai")
    UserFactory(email="admin@demo.krai", is_superuser=True, is_staff=True)
    monkeypatch.setattr("krai.problems.demo.PER_SCALE", 300)  # the real 2,500 takes too long for a unit test
    load_problems(scale=1, stdout=io.StringIO())
    count = Problem.objects.count()
    assert count >= 250
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert {"new", "routed", "fixed", "planned", "closed", "rejected"} <= statuses
    assert Problem.objects.filter(status__in=Problem.AWAITING_REACTION, due_date__lt=timezone.localdate()).exists()
    assert Category.objects.filter(parent__isnull=True).count() == 6
    assert Open311Key.find("demo-open311-key") is not None
    load_problems(scale=1, stdout=io.StringIO())
    assert Problem.objects.count() == count
    monkeypatch.setattr("krai.problems.demo.PER_SCALE", 400)  # a bigger demo adds only the missing ones
    load_problems(scale=1, stdout=io.StringIO())
    assert count < Problem.objects.count() <= 400
    assert Problem.objects.filter(updates__kind="reported").count() == Problem.objects.count()
    assert Problem.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=30)).exists()
