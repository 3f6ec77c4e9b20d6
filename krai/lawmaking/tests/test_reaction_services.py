"""The government's reaction: sent from the expertise as a control-engine assignment, given only by the staff of
the responsible body (anyone else: a clear error naming the body, nothing changed), the act required by the
decision, the assignment reported and accepted, everyone who took part told once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.comments.models import Comment
from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.core.workcalendar.selectors import add_working_days
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Answer,
    Initiative,
    Question,
    Reaction,
    Stage,
    Subscription,
    Support,
)
from krai.lawmaking.services import reactions
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import at_expertise, at_reaction
from krai.orders.models import Assignment, Status
from krai.orders.selectors import control_for_subject
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db

ADOPTED = {"decision": "adopted", "reasons": "", "act_title": "О благоустройстве", "act_number": "15-ЗК",
           "act_date": date(2026, 1, 15), "act_url": "https://pravo.example.ru/15"}


def test_request_opens_the_assignment_for_the_body():
    initiative, [_expert], boss = at_expertise()
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        reactions.reaction_request(actor=stranger, initiative=initiative)
    assignment = reactions.reaction_request(actor=boss, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.stage == Stage.REACTION and initiative.stage_due == assignment.deadline
    assert assignment.deadline == add_working_days(timezone.localdate(), 20)
    assert (assignment.kind, assignment.executor_organisation_id) == ("lawmaking", initiative.responsible_body_id)
    assert Event.objects.filter(kind="lawmaking.reaction_requested").count() == 1
    with pytest.raises(ValidationError):
        reactions.reaction_request(actor=boss, initiative=initiative)


def test_the_body_gives_the_reaction_and_the_assignment_closes():
    initiative, head, _expert = at_reaction()
    reaction = reactions.reaction_give(actor=head, initiative=initiative, **ADOPTED)
    initiative.refresh_from_db()
    assignment = control_for_subject(initiative)
    assert initiative.stage == Stage.CLOSED
    assert assignment.status == Status.DONE and not assignment.is_late
    assert reaction.due == assignment.deadline and reaction.on_time
    assert reaction.body == initiative.responsible_body and reaction.decided_by == head
    assert Event.objects.filter(kind="lawmaking.reaction_given", subject_id=str(initiative.pk)).count() == 1


@pytest.mark.parametrize("who", ["other_body", "executor_of_body", "controller", "resident"])
def test_anyone_but_the_body_is_refused_naming_it_and_nothing_changes(who):
    initiative, _head, _expert = at_reaction()
    if who == "other_body":
        actor = factories.body_staff(OrganisationFactory(name="Министерство финансов"))
    elif who == "executor_of_body":
        actor = StaffFactory()
        assign(actor, Role.EXECUTOR, organisation=OrganisationFactory())
    elif who == "controller":
        actor = factories.coordinator()
    else:
        actor = UserFactory()
    assignment = control_for_subject(initiative)
    events = Event.objects.count()
    with pytest.raises(PermissionDenied) as caught:
        reactions.reaction_give(actor=actor, initiative=initiative, **ADOPTED)
    assert "Министерство строительства края" in str(caught.value)
    initiative.refresh_from_db()
    assert initiative.stage == Stage.REACTION
    assert not Reaction.objects.exists()
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert fresh.status == assignment.status and not fresh.reports.exists()
    assert Event.objects.count() == events


def test_decision_requirements():
    initiative, head, _expert = at_reaction()
    cases = [
        ({"decision": "rejected"}, "reasons"),
        ({"decision": "adopted_changed", "act_number": "1", "act_date": date(2026, 1, 1)}, "reasons"),
        ({"decision": "adopted", "act_date": date(2026, 1, 1)}, "act_number"),
        ({"decision": "adopted", "act_number": "1"}, "act_date"),
        ({"decision": "adopted", "act_number": "1", "act_date": timezone.localdate() + timedelta(days=3)},
         "act_date"),
        ({"decision": "legislature", "act_url": "ftp://x"}, "act_url"),
        ({"decision": "maybe"}, "decision"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as caught:
            reactions.reaction_give(actor=head, initiative=initiative, **data)
        assert field in caught.value.message_dict, data
    assert control_for_subject(initiative).status == Status.ISSUED
    reaction = reactions.reaction_give(actor=head, initiative=initiative, decision="legislature")
    assert reaction.act_number == "" and reaction.decision == "legislature"


def test_a_late_reaction_is_recorded_as_late():
    initiative, head, _expert = at_reaction()
    assignment = control_for_subject(initiative)
    past = timezone.localdate() - timedelta(days=3)
    Assignment.objects.filter(pk=assignment.pk).update(issued_on=past - timedelta(days=20), deadline=past,
                                                       original_deadline=past)
    reaction = reactions.reaction_give(actor=head, initiative=initiative, decision="rejected", reasons="Нет средств")
    assert reaction.due == past and not reaction.on_time


def test_everyone_who_took_part_is_told_once():
    initiative, head, expert = at_reaction()
    supporter, answerer, commenter, annotator, amender, subscriber = (UserFactory() for _ in range(6))
    Support.objects.create(initiative=initiative, user=supporter)
    Support.objects.create(initiative=initiative, user=initiative.initiator)
    question = Question.objects.create(initiative=initiative, text="Нужны ли парковки?", author=initiative.initiator)
    Answer.objects.create(question=question, author=answerer, text="Да")
    Comment.objects.create(content_type=ContentType.objects.get_for_model(Initiative), object_id=str(initiative.pk),
                           author=commenter, body="Хорошая идея")
    version = initiative.versions.get(number=1)
    Annotation.objects.create(initiative=initiative, version=version, key="p1", body="Уточнить", author=annotator)
    Amendment.objects.create(initiative=initiative, version=version, key="p1", proposed_text="Иначе", author=amender)
    Subscription.objects.create(user=subscriber, initiative=initiative)
    Subscription.objects.create(user=supporter, initiative=initiative)
    bystander = UserFactory()
    reactions.reaction_give(actor=head, initiative=initiative, **ADOPTED)
    deliver_pending()
    deliver_pending()
    told = list(Notification.objects.filter(kind="lawmaking.reaction_given").values_list("user_id", flat=True))
    expected = {initiative.initiator_id, supporter.pk, answerer.pk, commenter.pk, annotator.pk, amender.pk,
                subscriber.pk, expert.pk}
    assert sorted(told) == sorted(expected)
    assert bystander.pk not in told
    note = Notification.objects.filter(kind="lawmaking.reaction_given").first()
    assert "15-ЗК" in note.body and note.url == f"/lawmaking/{initiative.pk}/reaction/"
