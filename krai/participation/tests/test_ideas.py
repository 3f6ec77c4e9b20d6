import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from krai.core.events.models import Event
from krai.org.tests.factories import OrganisationFactory
from krai.participation import services
from krai.participation.models import Campaign, Idea, IdeaSupport
from krai.participation.selectors import ideas as idea_selectors
from krai.participation.tests.factories import CampaignFactory, IdeaFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(department):
    return CampaignFactory(organisation=department)


def test_an_idea_goes_from_suggestion_through_moderation_to_an_answer(campaign, resident, organiser):
    idea = services.idea_suggest(actor=resident, campaign=campaign, title="Скамейки", body="Вдоль набережной.")
    assert idea.moderation == Idea.Moderation.PENDING
    other = ResidentFactory()
    assert list(idea_selectors.idea_list(user=other, campaign=campaign)) == []  # not shown before moderation
    assert list(idea_selectors.idea_list(user=resident, campaign=campaign)) == [idea]  # the author sees his own
    with pytest.raises(ValidationError):  # not published yet
        services.idea_support(actor=other, idea=idea)
    services.idea_moderate(actor=organiser, idea=idea, decision="published")
    services.idea_support(actor=other, idea=idea)
    [listed] = idea_selectors.idea_list(user=other, campaign=campaign)
    assert listed.supporters == 1 and listed.supported is True
    services.idea_answer(actor=organiser, idea=idea, status="in_work", answer="Включено в план на лето.")
    idea.refresh_from_db()
    assert (idea.status, idea.answered_by) == (Idea.Status.IN_WORK, organiser)
    kinds = list(Event.objects.filter(subject_id=str(idea.pk)).values_list("kind", flat=True).order_by("id"))
    assert kinds == ["participation.idea_suggested", "participation.idea_moderated", "participation.idea_supported",
                     "participation.idea_answered"]


def test_support_is_once_per_resident_and_not_for_ones_own_idea(campaign, resident):
    idea = IdeaFactory(campaign=campaign)
    services.idea_support(actor=resident, idea=idea)
    with pytest.raises(ValidationError) as refused:
        services.idea_support(actor=resident, idea=idea)
    assert refused.value.code == "already_supported"
    with pytest.raises(ValidationError):
        services.idea_support(actor=idea.author, idea=idea)
    assert IdeaSupport.objects.count() == 1
    services.idea_unsupport(actor=resident, idea=idea)
    assert not IdeaSupport.objects.exists()


def test_who_may_not_suggest_and_when(campaign, town):
    for actor in (AnonymousUser(), ResidentFactory(email_confirmed=False)):
        with pytest.raises(PermissionDenied):
            services.idea_suggest(actor=actor, campaign=campaign, title="Идея", body="Текст")
    past = CampaignFactory(starts_on=timezone.localdate() - dt.timedelta(days=30),
                           ends_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.idea_suggest(actor=ResidentFactory(), campaign=past, title="Идея", body="Текст")
    for title, body in (("", "Текст"), ("Идея", " "), ("я" * 201, "Текст")):
        with pytest.raises(ValidationError):
            services.idea_suggest(actor=ResidentFactory(), campaign=campaign, title=title, body=body)
    assert not Idea.objects.exists()


def test_a_rejection_needs_a_reason_and_moderation_is_for_the_campaigns_organisers(campaign, organiser, resident):
    idea = IdeaFactory(campaign=campaign, moderation=Idea.Moderation.PENDING)
    with pytest.raises(ValidationError):
        services.idea_moderate(actor=organiser, idea=idea, decision="rejected")
    with pytest.raises(PermissionDenied):
        services.idea_moderate(actor=resident, idea=idea, decision="published")
    stranger_campaign = CampaignFactory(organisation=OrganisationFactory())
    foreign_idea = IdeaFactory(campaign=stranger_campaign, moderation=Idea.Moderation.PENDING)
    with pytest.raises(PermissionDenied):
        services.idea_moderate(actor=organiser, idea=foreign_idea, decision="published")
    services.idea_moderate(actor=organiser, idea=idea, decision="rejected", reason="Не по теме кампании.")
    idea.refresh_from_db()
    assert (idea.moderation, idea.moderation_reason) == (Idea.Moderation.REJECTED, "Не по теме кампании.")
    with pytest.raises(Http404):
        idea_selectors.idea_get(user=ResidentFactory(), pk=idea.pk)
    assert idea_selectors.idea_get(user=idea.author, pk=idea.pk) == idea
    assert list(idea_selectors.moderation_queue(user=organiser, moderation="rejected")) == [idea]


def test_an_answer_of_rejection_must_say_why(campaign, organiser):
    idea = IdeaFactory(campaign=campaign)
    for status, answer in (("rejected", ""), ("nonsense", "Ответ"), ("new", "Ответ")):
        with pytest.raises(ValidationError):
            services.idea_answer(actor=organiser, idea=idea, status=status, answer=answer)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.NEW
    services.idea_answer(actor=organiser, idea=idea, status="rejected", answer="Нет средств в этом году.")


def test_campaigns_are_created_by_organisers_within_scope(organiser, department, resident):
    today = timezone.localdate()
    spec = {"title": "Маршрутная сеть", "topic": "Транспорт", "starts_on": today,
            "ends_on": today + dt.timedelta(days=30)}
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=resident, **spec)
    with pytest.raises(ValidationError):
        services.campaign_create(actor=organiser, organisation=OrganisationFactory(), **spec)
    with pytest.raises(ValidationError):
        services.campaign_create(actor=organiser, organisation=department,
                                 **{**spec, "ends_on": today - dt.timedelta(days=1)})
    campaign = services.campaign_create(actor=organiser, organisation=department, **spec)
    assert list(idea_selectors.campaign_list_managed(user=organiser)) == [campaign]
    assert Campaign.objects.count() == 1
