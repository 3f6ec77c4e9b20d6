"""Pages of the expertise: the reviews and invitations, starting it, the expert's form with its deadline (after
it the form is not offered and a POST is refused with the message), the profile's section, the detail summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.lawmaking.models import Initiative, Invitation, Review, Stage
from krai.lawmaking.services import expertise
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import at_expertise, drafted, review_data
from krai.org.tests.factories import UserFactory
from krai.social.selectors.profiles import display_name

pytestmark = pytest.mark.django_db


def test_expertise_page_shows_reviews_and_invitations(client):
    initiative, [expert, other], boss = at_expertise(factories.verified_expert(), factories.verified_expert())
    review = expertise.review_submit(actor=expert, initiative=initiative,
                                     **review_data(corruption_risks_found=True, corruption_findings="Статья 1"))
    page = client.get(reverse("lawmaking:expertise", args=[initiative.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Проект в целом обоснован." in text and "Статья 1" in text and display_name(other) in text
    assert other.get_full_name() not in text  # named as the community names him, not by his whole name
    assert "lawmaking-reaction-request" not in text  # the button is the managers'
    expertise.review_hide(actor=boss, review=review, reason="Оскорбления")
    assert "Проект в целом обоснован." not in client.get(reverse("lawmaking:expertise", args=[initiative.pk])
                                                         ).content.decode()
    client.force_login(boss)
    text = client.get(reverse("lawmaking:expertise", args=[initiative.pk])).content.decode()
    assert "Проект в целом обоснован." in text and "lawmaking-reaction-request" in text


def test_start_page_for_managers(client):
    initiative = drafted()
    law = factories.field("law")
    expert = factories.verified_expert("law")
    url = reverse("lawmaking:expertise_start", args=[initiative.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(factories.coordinator())
    page = client.get(url, {"q": expert.social_profile.display_name})
    assert page.status_code == 200 and expert.social_profile.display_name in page.content.decode()
    due = timezone.localdate() + timedelta(days=10)
    past = client.post(url, {"fields": [law.pk], "due": timezone.localdate().isoformat()})
    assert past.status_code == 400 and "must be in the future" in past.content.decode()
    response = client.post(url, {"fields": [law.pk], "experts": [expert.pk], "due": due.isoformat()})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.stage == Stage.EXPERTISE and initiative.stage_due == due
    assert Invitation.objects.filter(initiative=initiative, expert=expert).exists()


def test_the_expert_reviews_through_the_form(client):
    initiative, [expert], _boss = at_expertise()
    url = reverse("lawmaking:review", args=[initiative.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(expert)
    page = client.get(url)
    assert page.status_code == 200 and initiative.stage_due.strftime("%d.%m.%Y") in page.content.decode()
    bad = client.post(url, {**review_data(corruption_risks_found="on")})
    assert bad.status_code == 400 and not Review.objects.exists()
    assert client.post(url, review_data()).status_code == 302
    assert client.post(url, review_data(summary="Исправлено")).status_code == 302
    assert Review.objects.get().summary == "Исправлено"


def test_after_the_deadline_the_form_is_gone_and_a_post_is_refused(client):
    initiative, [expert], _boss = at_expertise()
    past = timezone.localdate() - timedelta(days=2)
    Invitation.objects.filter(initiative=initiative).update(due=past)
    Initiative.objects.filter(pk=initiative.pk).update(stage_due=past)
    client.force_login(expert)
    url = reverse("lawmaking:review", args=[initiative.pk])
    page = client.get(url)
    assert "lawmaking-review-form" not in page.content.decode()
    assert past.strftime("%d.%m.%Y") in page.content.decode()
    refused = client.post(url, review_data())
    assert refused.status_code == 400
    assert f"The deadline for reviews was {past.strftime('%d.%m.%Y')}" in refused.content.decode()
    assert not Review.objects.exists()


def test_invite_and_decline_through_the_page(client):
    initiative, [expert], boss = at_expertise()
    more = factories.verified_expert()
    client.force_login(boss)
    client.post(reverse("lawmaking:expertise_invite", args=[initiative.pk]), {"expert": more.pk})
    assert Invitation.objects.filter(initiative=initiative, expert=more).exists()
    client.force_login(expert)
    client.post(reverse("lawmaking:invitation_decline", args=[initiative.pk]), {"reason": "Занят"})
    assert Invitation.objects.get(expert=expert).status == Invitation.Status.DECLINED


def test_profile_section_lists_published_reviews(client):
    initiative, [expert], _boss = at_expertise()
    expertise.review_submit(actor=expert, initiative=initiative, **review_data())
    page = client.get(reverse("social:profile", args=[expert.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "lawmaking-profile-reviews" in text and reverse("lawmaking:expertise", args=[initiative.pk]) in text


def test_detail_summary(client, rf):
    from krai.lawmaking.views.expertise import detail_context

    initiative, [expert], _boss = at_expertise()
    expertise.review_submit(actor=expert, initiative=initiative, **review_data(conclusion="oppose"))
    request = rf.get("/")
    request.user = expert
    context = detail_context(request, initiative)
    assert context["expertise_reviews_count"] == 1 and context["expertise_due"] == initiative.stage_due
    assert ("does not support the draft", 1) in context["expertise_conclusions"]
    page = client.get(reverse("lawmaking:detail", args=[initiative.pk]))
    assert page.status_code == 200
    assert reverse("lawmaking:expertise", args=[initiative.pk]) in page.content.decode()
