"""API of the expertise: invitations (list, start, invite, decline) and reviews (list, submit, update, hide); a
review after the deadline answers 400 naming it, nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from krai.lawmaking.models import Initiative, Invitation, Review, Stage
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import at_expertise, drafted, review_data
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def base(initiative) -> str:
    return f"/api/v1/lawmaking/initiatives/{initiative.pk}"


def test_start_and_list_invitations():
    initiative = drafted()
    factories.field("law")
    expert = factories.verified_expert("law")
    due = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert api(UserFactory()).post(f"{base(initiative)}/invitations/", {"fields": ["law"]},
                                   format="json").status_code == 403
    bad = api(factories.coordinator()).post(f"{base(initiative)}/invitations/", {"fields": ["nope"]}, format="json")
    assert bad.status_code == 400
    response = api(factories.coordinator()).post(f"{base(initiative)}/invitations/", {"fields": ["law"], "due": due},
                                                 format="json")
    assert response.status_code == 201, response.content
    assert [row["expert"]["id"] for row in response.json()] == [expert.pk]
    listed = api().get(f"{base(initiative)}/invitations/").json()
    assert listed[0]["due"] == due and listed[0]["status"] == "invited" and listed[0]["field"]["code"] == "law"
    initiative.refresh_from_db()
    assert initiative.stage == Stage.EXPERTISE


def test_invite_and_decline():
    initiative, [expert], boss = at_expertise()
    more = factories.verified_expert()
    response = api(boss).post(f"{base(initiative)}/invitations/invite/", {"expert": more.pk}, format="json")
    assert response.status_code == 201
    not_expert = api(boss).post(f"{base(initiative)}/invitations/invite/", {"expert": UserFactory().pk},
                                format="json")
    assert not_expert.status_code == 400 and "expert" in not_expert.json()["error"]["fields"]
    invitation = Invitation.objects.get(expert=expert)
    declined = api(expert).post(f"{base(initiative)}/invitations/{invitation.pk}/decline/", {"reason": "Занят"},
                                format="json")
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "Занят"
    assert api().get(f"{base(initiative)}/invitations/").json()[0]["decline_reason"] is None


def test_submit_update_hide_reviews():
    initiative, [expert], boss = at_expertise()
    response = api(expert).post(f"{base(initiative)}/reviews/", review_data(), format="json")
    assert response.status_code == 201, response.content
    review_id = response.json()["id"]
    again = api(expert).post(f"{base(initiative)}/reviews/", review_data(), format="json")
    assert again.status_code == 400 and "already submitted" in again.json()["error"]["message"]
    patched = api(expert).patch(f"{base(initiative)}/reviews/{review_id}/", {"conclusion": "oppose"}, format="json")
    assert patched.status_code == 200 and patched.json()["conclusion"] == "oppose"
    assert patched.json()["summary"] == "Проект в целом обоснован."
    assert api(UserFactory()).patch(f"{base(initiative)}/reviews/{review_id}/", {"conclusion": "support"},
                                    format="json").status_code == 403
    assert api(boss).post(f"{base(initiative)}/reviews/{review_id}/hide/", {"reason": "Спам"},
                          format="json").status_code == 200
    assert api().get(f"{base(initiative)}/reviews/").json() == []
    assert api().get(f"{base(initiative)}/reviews/{review_id}/").status_code == 404
    assert len(api(expert).get(f"{base(initiative)}/reviews/").json()) == 1


def test_a_review_after_the_deadline_is_400_and_nothing_stored():
    initiative, [expert], _boss = at_expertise()
    past = timezone.localdate() - timedelta(days=1)
    Invitation.objects.filter(initiative=initiative).update(due=past)
    Initiative.objects.filter(pk=initiative.pk).update(stage_due=past)
    response = api(expert).post(f"{base(initiative)}/reviews/", review_data(), format="json")
    assert response.status_code == 400
    assert past.strftime("%d.%m.%Y") in response.json()["error"]["message"]
    assert not Review.objects.exists()


def test_hidden_initiative_is_404():
    initiative = factories.initiative(Stage.CONCEPT)
    assert api(UserFactory()).get(f"{base(initiative)}/invitations/").status_code == 404
    assert api(UserFactory()).get(f"{base(initiative)}/reviews/").status_code == 404
