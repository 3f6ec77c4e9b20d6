"""Hearings in a person's planner: the case's lawyer and the head of the party body, at the hearing's time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from krai.monitoring.lawsuits import agenda, services
from krai.monitoring.lawsuits.models import CourtCase, Hearing
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    body = OrganisationFactory()
    head, lawyer = StaffFactory(), StaffFactory()
    assign(head, Role.HEAD, organisation=body)
    return body, head, lawyer


def _case(body, head, lawyer=None, number="А32-1/2026") -> CourtCase:
    return services.case_create(actor=head, organisation=body, number=number, court="АС КК", our_side="defendant",
                                filed_on=timezone.localdate() - dt.timedelta(days=100), lawyer=lawyer,
                                amount_claimed=Decimal("1000"))


def _at(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _week() -> tuple[dt.datetime, dt.datetime]:
    return _at(0, 0), _at(7, 0)


def test_the_lawyer_and_the_head_see_the_hearing_at_its_time(world):
    body, head, lawyer = world
    case = _case(body, head, lawyer)
    hearing = services.hearing_add(actor=lawyer, case=case, starts_at=_at(3, 14), room="12")
    for person in (lawyer, head):
        [item] = agenda.items(person, *_week())
        assert item.key == f"lawsuits:hearing:{hearing.pk}" and item.kind == "hearing"
        assert item.start == hearing.starts_at and not item.all_day
        assert item.url == reverse("monitoring:lawsuits:case", args=[case.pk])
        assert "А32-1/2026" in item.title and item.detail == "АС КК, 12"
        assert not item.overdue


def test_outside_the_window_or_the_cases_nothing(world):
    body, head, lawyer = world
    case = _case(body, head, lawyer)
    services.hearing_add(actor=lawyer, case=case, starts_at=_at(10))
    assert agenda.items(lawyer, *_week()) == []
    # the end is excluded: a hearing exactly at the end is the next window's
    Hearing.objects.create(case=case, starts_at=_at(7, 0))
    assert agenda.items(lawyer, *_week()) == []
    assert len(agenda.items(lawyer, _at(7, 0), _at(8, 0))) == 1
    # another body's head, a stranger, a controller who reads the whole region: not theirs to attend
    other_head, controller = StaffFactory(), StaffFactory()
    assign(other_head, Role.HEAD, organisation=OrganisationFactory())
    assign(controller, Role.CONTROLLER)
    for person in (other_head, StaffFactory(), controller):
        assert agenda.items(person, _at(0, 0), _at(30, 0)) == [], person
    assert agenda.items(AnonymousUser(), _at(0, 0), _at(30, 0)) == []


def test_a_former_lawyer_who_lost_staff_status_sees_nothing(world):
    body, head, lawyer = world
    services.hearing_add(actor=lawyer, case=_case(body, head, lawyer), starts_at=_at(2))
    lawyer.is_staff = False
    lawyer.save(update_fields=["is_staff"])
    assert agenda.items(lawyer, *_week()) == []


def test_queries_do_not_grow_with_the_hearings(world, django_assert_max_num_queries):
    body, head, lawyer = world

    def count() -> tuple[int, int]:
        fresh = type(head).objects.get(pk=head.pk)
        with django_assert_max_num_queries(4) as captured:
            found = agenda.items(fresh, _at(0, 0), _at(30, 0))
        return len(found), len(captured.captured_queries)

    services.hearing_add(actor=lawyer, case=_case(body, head, lawyer, number="1"), starts_at=_at(1))
    few, few_queries = count()
    for n in range(2, 8):
        services.hearing_add(actor=lawyer, case=_case(body, head, lawyer, number=str(n)), starts_at=_at(n))
    many, many_queries = count()
    assert (few, many) == (1, 7) and many_queries == few_queries
