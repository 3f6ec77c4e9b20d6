"""Law-making in a person's planner: an expert's review due, the planned end of a stage of the drafts he edits or
his body answers for; nothing outside the window, nothing of others, the reaction left to the control engine."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from krai.lawmaking import agenda
from krai.lawmaking.models import Initiative, Invitation, Stage
from krai.lawmaking.services import expertise
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import at_expertise, review_data
from krai.org.tests.factories import OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def window(first: date, last: date) -> tuple[datetime, datetime]:
    return (timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)))


def test_an_invited_expert_sees_the_review_due_with_the_review_page():
    expert = factories.verified_expert("law", is_staff=True)
    due = TODAY + timedelta(days=14)
    initiative, _experts, _boss = at_expertise(expert, due=due)
    invitation = Invitation.objects.get(expert=expert)
    [item] = agenda.items(expert, *window(due, due))
    assert item.key == f"lawmaking:review:{invitation.pk}" and item.kind == "review" and item.area == "lawmaking"
    assert item.start == due and item.all_day and initiative.title in item.title
    assert item.url == reverse("lawmaking:review", args=[initiative.pk])
    assert item.status == "invited" and not item.overdue
    # outside the window, or someone else's invitation: nothing
    assert agenda.items(expert, *window(due + timedelta(days=1), due + timedelta(days=30))) == []
    assert agenda.items(expert, *window(TODAY, due - timedelta(days=1))) == []
    assert agenda.items(StaffFactory(), *window(due, due)) == []
    assert agenda.items(AnonymousUser(), *window(due, due)) == []


def test_a_late_review_is_overdue_until_written_and_a_declined_one_is_gone():
    expert, other = (factories.verified_expert("law", is_staff=True) for _ in range(2))
    initiative, _experts, _boss = at_expertise(expert, other, due=TODAY + timedelta(days=14))
    late = TODAY - timedelta(days=2)
    Invitation.objects.filter(initiative=initiative).update(due=late)
    [item] = agenda.items(expert, *window(late, late))
    assert item.overdue
    Invitation.objects.filter(initiative=initiative, expert=expert).update(due=TODAY)
    expertise.review_submit(actor=expert, initiative=initiative, **review_data())
    Invitation.objects.filter(initiative=initiative, expert=expert).update(due=late)
    [item] = agenda.items(expert, *window(late, late))
    assert not item.overdue and item.status == "review written"
    Invitation.objects.filter(expert=other).update(status=Invitation.Status.DECLINED)
    assert agenda.items(other, *window(late, late)) == []


def test_the_editor_and_the_head_of_the_body_see_the_stage_end():
    body = OrganisationFactory()
    head, editor = factories.body_staff(body), StaffFactory()
    due = TODAY + timedelta(days=5)
    initiative = factories.initiative(Stage.ELABORATION, body=body, editor=editor, stage_due=due)
    for person in (head, editor):
        [item] = agenda.items(person, *window(due, due))
        assert item.key == f"lawmaking:stage:{initiative.pk}-elaboration" and item.kind == "stage"
        assert item.url == reverse("lawmaking:detail", args=[initiative.pk]) and item.start == due
        assert not item.overdue
    # the head of another body, a coordinator who reads them all: not theirs
    for person in (factories.body_staff(), factories.coordinator()):
        assert agenda.items(person, *window(due, due)) == [], person
    Initiative.objects.filter(pk=initiative.pk).update(stage_due=TODAY - timedelta(days=1))
    [item] = agenda.items(editor, *window(TODAY - timedelta(days=1), TODAY))
    assert item.overdue


def test_closed_stopped_or_awaiting_the_reaction_is_not_a_stage_deadline_here():
    body = OrganisationFactory()
    head = factories.body_staff(body)
    due = TODAY + timedelta(days=5)
    for stage in (Stage.REACTION, Stage.CLOSED, Stage.STOPPED):
        factories.initiative(stage, body=body, stage_due=due)
    assert agenda.items(head, *window(due, due)) == []


def test_queries_do_not_grow_with_the_initiatives(django_assert_max_num_queries):
    body = OrganisationFactory()
    head = factories.body_staff(body)
    due = TODAY + timedelta(days=5)

    def count() -> tuple[int, int]:
        fresh = type(head).objects.get(pk=head.pk)
        with django_assert_max_num_queries(6) as captured:
            found = agenda.items(fresh, *window(TODAY, due))
        return len(found), len(captured.captured_queries)

    factories.initiative(Stage.DISCUSSION, body=body, stage_due=due)
    few, few_queries = count()
    for _ in range(6):
        factories.initiative(Stage.DISCUSSION, body=body, stage_due=due)
    many, many_queries = count()
    assert (few, many) == (1, 7) and many_queries == few_queries
