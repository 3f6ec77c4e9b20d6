"""A poll limited to municipalities takes the verified residence only, never the profile's claim."""

import pytest
from django.urls import reverse

from krai.participation.models import Ballot, Poll
from krai.participation.tests.factories import ResidentFactory, poll_with

pytestmark = pytest.mark.django_db


def _village_poll(village):
    poll, question, options = poll_with(audience=Poll.Audience.MUNICIPALITIES)
    poll.municipalities.set([village])
    return poll, question, options


def test_a_resident_who_moves_his_profile_to_another_village_is_refused_there_on_the_page(client, town, village):
    resident = ResidentFactory(home_municipality=town, residence_verified=True)
    poll, question, options = _village_poll(village)
    client.force_login(resident)
    moved = client.post(reverse("accounts:profile"), {
        "surname": resident.surname, "given_name": resident.given_name, "patronymic": "", "phone": "",
        "home_municipality": village.pk})
    assert moved.status_code == 302
    resident.refresh_from_db()
    assert resident.home_municipality_id == village.pk and not resident.residence_verified
    page = client.get(reverse("participation:poll", args=[poll.pk]))
    assert page.context["refusal_code"] == "not_verified" and not page.context["can_vote"]
    response = client.post(reverse("participation:poll_vote", args=[poll.pk]), {f"q{question.pk}": options[0].pk})
    assert response.status_code == 403
    assert not Ballot.objects.filter(poll=poll).exists()


def test_a_resident_who_moves_his_profile_to_another_village_is_refused_there_in_the_api(client, town, village):
    resident = ResidentFactory(home_municipality=town, residence_verified=True)
    poll, question, options = _village_poll(village)
    client.force_login(resident)
    moved = client.patch("/api/v1/me/", {"home_municipality": village.pk}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["residence_verified"] is False
    me = client.get(f"/api/v1/participation/polls/{poll.pk}/").json()["me"]
    assert me["can_vote"] is False and me["refusal_code"] == "not_verified"
    response = client.post(f"/api/v1/participation/polls/{poll.pk}/vote/",
                           {"answers": {str(question.pk): options[0].pk}}, content_type="application/json")
    assert response.status_code == 403
    assert not Ballot.objects.filter(poll=poll).exists()


def test_a_ballot_counts_in_a_municipality_only_when_the_residence_is_verified(client, town):
    claimed = ResidentFactory(home_municipality=town, residence_verified=False)
    poll, question, options = poll_with()
    client.force_login(claimed)
    client.post(reverse("participation:poll_vote", args=[poll.pk]), {f"q{question.pk}": options[0].pk})
    assert Ballot.objects.get(poll=poll).municipality_id is None
