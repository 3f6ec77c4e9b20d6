"""Construction's demo: registered objects, verification requests (open and answered with each decision), illegal
constructions with measures and works in every status across the municipalities — every municipality has some —
with residents following and rating; a second run adds nothing."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command

from krai.construction import demo
from krai.construction.models import (
    ConstructionObject,
    Decision,
    IllegalConstruction,
    Inspection,
    RequestStatus,
    VerificationRequest,
    Work,
    WorkRating,
    WorkStatus,
    WorkSubscription,
)
from krai.orders.models import Status
from krai.orders.selectors import control_for_subject
from krai.org.models import Municipality

pytestmark = pytest.mark.django_db

MODELS = (ConstructionObject, VerificationRequest, Inspection, IllegalConstruction, Work, WorkRating, WorkSubscription)


@pytest.fixture
def region(db):
    call_command("demo", only=["krai.org.demo", "krai.org.addresses.demo", "krai.projects.demo"],
                 stdout=io.StringIO())


def _counts() -> tuple:
    return tuple(model.objects.count() for model in MODELS)


def test_the_demo_covers_every_part_and_every_municipality_once(region):
    demo.load_construction(scale=1, stdout=io.StringIO(), rng=random.Random(1))
    first = _counts()
    demo.load_construction(scale=1, stdout=io.StringIO(), rng=random.Random(1))
    assert _counts() == first
    municipalities = set(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))
    assert set(ConstructionObject.objects.values_list("municipality_id", flat=True)) == municipalities
    assert set(Work.objects.values_list("municipality_id", flat=True)) == municipalities
    assert set(Work.objects.values_list("status", flat=True)) == set(WorkStatus.values)
    assert set(Inspection.objects.values_list("decision", flat=True)) == set(Decision.values)
    assert VerificationRequest.objects.filter(status=RequestStatus.OPEN).exists()
    assert IllegalConstruction.objects.filter(measures__isnull=False).exists()
    assert WorkRating.objects.exists() and WorkSubscription.objects.exists()
    # every request is on control with its body; the answered ones are accepted
    for request in VerificationRequest.objects.all():
        assignment = control_for_subject(request)
        assert assignment is not None and assignment.executor_organisation_id == request.inspection_body_id
        if request.status == RequestStatus.RESOLVED:
            assert assignment.status == Status.DONE
        else:
            assert assignment.status in (Status.ISSUED, Status.IN_PROGRESS)
