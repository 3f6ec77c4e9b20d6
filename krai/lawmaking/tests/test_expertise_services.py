"""The expertise's services: starting it (fields, experts, the deadline), invitations, reviews by the deadline
(after it: a clear error naming it, nothing stored), one review per expert, hiding, the job and its reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.core.workcalendar.selectors import add_working_days
from krai.lawmaking.models import Initiative, Invitation, Review, Stage
from krai.lawmaking.services import expertise
from krai.lawmaking.tasks_expertise import expertise_sweep
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import at_expertise, drafted, review_data
from krai.orders.selectors import control_for_subject
from krai.org.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_start_invites_the_experts_of_the_fields_and_the_chosen_ones():
    law, eco = factories.field("law"), factories.field("eco", "Экология")
    initiative = drafted()
    initiative.fields.set([law])
    a, b = factories.verified_expert("law"), factories.verified_expert("law", "eco")
    c = factories.verified_expert("eco")
    factories.verified_expert("health")
    boss = factories.coordinator()
    invitations = expertise.expertise_start(actor=boss, initiative=initiative, experts=[c])
    initiative.refresh_from_db()
    assert initiative.stage == Stage.EXPERTISE
    assert initiative.stage_due == add_working_days(timezone.localdate(), 15)
    assert {i.expert_id for i in invitations} == {a.pk, b.pk, c.pk}
    assert {i.expert_id: i.field_id for i in invitations}[a.pk] == law.pk
    assert {i.expert_id: i.field_id for i in invitations}[c.pk] is None
    assert Event.objects.filter(kind="lawmaking.expert_invited").count() == 3
    assert Event.objects.filter(kind="lawmaking.expertise_started").count() == 1
    deliver_pending()
    assert set(Notification.objects.filter(kind="lawmaking.expert_invited").values_list("user_id", flat=True)) \
        == {a.pk, b.pk, c.pk}
    assert eco  # the eco field is not the initiative's: only chosen by name


def test_start_refusals_change_nothing():
    initiative = drafted()
    boss = factories.coordinator()
    stranger = UserFactory()
    expert = factories.verified_expert()
    with pytest.raises(PermissionDenied):
        expertise.expertise_start(actor=stranger, initiative=initiative, experts=[expert])
    with pytest.raises(ValidationError, match="future"):
        expertise.expertise_start(actor=boss, initiative=initiative, experts=[expert], due=timezone.localdate())
    with pytest.raises(ValidationError, match="not a verified expert"):
        expertise.expertise_start(actor=boss, initiative=initiative, experts=[UserFactory()])
    with pytest.raises(ValidationError, match="No verified expert"):
        expertise.expertise_start(actor=boss, initiative=initiative)
    without_text = factories.initiative(Stage.ELABORATION)
    with pytest.raises(ValidationError, match="no text yet"):
        expertise.expertise_start(actor=boss, initiative=without_text, experts=[expert])
    initiative.refresh_from_db()
    assert initiative.stage == Stage.ELABORATION
    assert not Invitation.objects.exists()


def test_body_staff_manage_and_invite_one_more():
    body = OrganisationFactory()
    head, other_head = factories.body_staff(body), factories.body_staff()
    own = drafted(body=body)
    with pytest.raises(PermissionDenied):
        expertise.expertise_start(actor=other_head, initiative=own, experts=[factories.verified_expert()])
    assert expertise.expertise_start(actor=head, initiative=own, experts=[factories.verified_expert()])
    initiative, experts, boss = at_expertise()
    late = factories.verified_expert("law")
    invitation = expertise.expert_invite(actor=boss, initiative=initiative, expert=late)
    assert invitation.due == initiative.stage_due
    with pytest.raises(ValidationError, match="already invited"):
        expertise.expert_invite(actor=boss, initiative=initiative, expert=late)
    with pytest.raises(ValidationError, match="not a verified expert"):
        expertise.expert_invite(actor=boss, initiative=initiative, expert=UserFactory())
    with pytest.raises(PermissionDenied):
        expertise.expert_invite(actor=experts[0], initiative=initiative, expert=factories.verified_expert())
    assert Invitation.objects.filter(initiative=initiative).count() == 2


def test_review_submitted_once_then_updated():
    initiative, [expert], _boss = at_expertise()
    review = expertise.review_submit(actor=expert, initiative=initiative, **review_data())
    assert review.version == initiative.versions.get(number=1)
    assert Invitation.objects.get(expert=expert).status == Invitation.Status.REVIEWED
    assert Event.objects.filter(kind="lawmaking.review_submitted", subject_id=str(review.pk)).exists()
    with pytest.raises(ValidationError, match="already submitted"):
        expertise.review_submit(actor=expert, initiative=initiative, **review_data(summary="Другой"))
    expertise.review_update(actor=expert, review=review, **review_data(conclusion="support"))
    review.refresh_from_db()
    assert review.conclusion == "support" and Review.objects.count() == 1


def test_review_after_the_deadline_is_refused_with_the_date_and_nothing_stored():
    initiative, [expert], _boss = at_expertise()
    past = timezone.localdate() - timedelta(days=1)
    Invitation.objects.filter(initiative=initiative).update(due=past)
    Initiative.objects.filter(pk=initiative.pk).update(stage_due=past)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as caught:
        expertise.review_submit(actor=expert, initiative=initiative, **review_data())
    assert past.strftime("%d.%m.%Y") in caught.value.messages[0]
    assert caught.value.code == "deadline_passed"
    assert not Review.objects.exists()
    assert Invitation.objects.get(expert=expert).status == Invitation.Status.INVITED
    assert Event.objects.count() == events


def test_an_edit_after_the_deadline_is_refused_too():
    initiative, [expert], _boss = at_expertise()
    review = expertise.review_submit(actor=expert, initiative=initiative, **review_data())
    Invitation.objects.filter(initiative=initiative).update(due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="deadline for reviews was"):
        expertise.review_update(actor=expert, review=review, **review_data(summary="Новое"))
    review.refresh_from_db()
    assert review.summary == "Проект в целом обоснован."


def test_review_refusals():
    initiative, [expert], _boss = at_expertise()
    stranger = factories.verified_expert()
    with pytest.raises(PermissionDenied, match="invited"):
        expertise.review_submit(actor=stranger, initiative=initiative, **review_data())
    with pytest.raises(ValidationError) as caught:
        expertise.review_submit(actor=expert, initiative=initiative, **review_data(corruption_risks_found=True))
    assert "corruption_findings" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        expertise.review_submit(actor=expert, initiative=initiative, **review_data(conclusion="maybe"))
    assert "conclusion" in caught.value.message_dict
    # an expert whose status was withdrawn may no longer review
    expert.social_profile.expert_status = "none"
    expert.social_profile.save()
    with pytest.raises(PermissionDenied, match="verified expert"):
        expertise.review_submit(actor=expert, initiative=initiative, **review_data())
    assert not Review.objects.exists()


def test_decline_and_hide():
    initiative, [first, second], boss = at_expertise(factories.verified_expert(), factories.verified_expert())
    invitation = Invitation.objects.get(expert=first)
    with pytest.raises(ValidationError):
        expertise.invitation_decline(actor=first, invitation=invitation, reason=" ")
    with pytest.raises(PermissionDenied):
        expertise.invitation_decline(actor=second, invitation=invitation, reason="Нет")
    expertise.invitation_decline(actor=first, invitation=invitation, reason="Конфликт интересов")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    with pytest.raises(ValidationError, match="declined"):
        expertise.review_submit(actor=first, initiative=initiative, **review_data())
    review = expertise.review_submit(actor=second, initiative=initiative,
                                     **review_data(corruption_risks_found=True, corruption_findings="Ст. 1"))
    with pytest.raises(PermissionDenied):
        expertise.review_hide(actor=second, review=review, reason="Спам")
    expertise.review_hide(actor=boss, review=review, reason="Оскорбления")
    review.refresh_from_db()
    assert review.hidden_at is not None and review.hidden_reason == "Оскорбления"


def test_the_job_moves_a_past_expertise_to_the_reaction():
    initiative, [_expert], _boss = at_expertise()
    assert expertise_sweep()["moved"] == 0
    Initiative.objects.filter(pk=initiative.pk).update(stage_due=timezone.localdate() - timedelta(days=1))
    assert expertise_sweep()["moved"] == 1
    initiative.refresh_from_db()
    assert initiative.stage == Stage.REACTION
    assignment = control_for_subject(initiative)
    assert assignment.kind == "lawmaking" and assignment.executor_organisation == initiative.responsible_body
    assert initiative.stage_due == assignment.deadline
    assert expertise_sweep()["moved"] == 0  # idempotent


def test_the_job_reminds_two_working_days_before_once():
    soon = add_working_days(timezone.localdate(), 2)
    initiative, [expert, other], _boss = at_expertise(factories.verified_expert(), factories.verified_expert(),
                                                      due=soon)
    expertise.review_submit(actor=other, initiative=initiative, **review_data())
    _far, [far_expert], _ = at_expertise(due=add_working_days(timezone.localdate(), 5))
    assert expertise_sweep()["reminded"] == 1
    assert expertise_sweep()["reminded"] == 0
    deliver_pending()
    told = Notification.objects.filter(kind="lawmaking.expert_reminded")
    assert list(told.values_list("user_id", flat=True)) == [expert.pk]
    assert far_expert.pk not in told.values_list("user_id", flat=True)


def test_review_remind_sends_once_per_deadline_and_not_after_the_review():
    initiative, [expert, other], _boss = at_expertise(factories.verified_expert(), factories.verified_expert())
    invitation = Invitation.objects.get(initiative=initiative, expert=expert)
    assert expertise.review_remind(invitation=invitation) is True
    assert expertise.review_remind(invitation=invitation) is False  # the event is the record: once
    expertise.review_submit(actor=other, initiative=initiative, **review_data())
    assert expertise.review_remind(invitation=Invitation.objects.get(initiative=initiative, expert=other)) is False
    assert Event.objects.filter(kind="lawmaking.expert_reminded").count() == 1
