import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from krai.org.tests.factories import OrganisationFactory
from krai.participation import periods, services
from krai.participation.models import Ballot, Idea, IdeaSupport, Poll, PriorityVote, ServiceRating
from krai.participation.tests.factories import (
    CampaignFactory,
    GovServiceFactory,
    IdeaFactory,
    PriorityFactory,
    ResidentFactory,
    poll_with,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/participation"


def error(response):
    return response.json()["error"]


# --- polls -----------------------------------------------------------------------------------------

def test_polls_are_listed_and_drafts_are_hidden(client, resident):
    poll, _question, options = poll_with()
    draft, _q, _o = poll_with(status=Poll.Status.DRAFT)
    rows = client.get(f"{API}/polls/").json()["results"]
    assert [row["id"] for row in rows] == [poll.pk]
    assert client.get(f"{API}/polls/{draft.pk}/").status_code == 404
    client.force_login(resident)
    detail = client.get(f"{API}/polls/{poll.pk}/").json()
    assert detail["me"] == {"has_voted": False, "can_vote": True, "refusal_code": "", "refusal": ""}
    assert [o["id"] for o in detail["questions"][0]["options"]] == [o.pk for o in options]


def test_a_vote_through_the_api_and_a_second_one_refused_with_409(client, resident):
    poll, question, options = poll_with()
    client.force_login(resident)
    url = f"{API}/polls/{poll.pk}/vote/"
    response = client.post(url, {"answers": {str(question.pk): options[0].pk}}, content_type="application/json")
    assert response.status_code == 201 and response.json() == {"poll": poll.pk, "revision": 1, "changed": False}
    again = client.post(url, {"answers": {str(question.pk): options[1].pk}}, content_type="application/json")
    assert again.status_code == 409 and error(again)["code"] == "already_voted"
    assert error(again)["message"]
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert client.get(f"{API}/polls/{poll.pk}/").json()["me"]["refusal_code"] == "already_voted"


def test_refused_votes_say_why_and_change_nothing(client, town):
    poll, question, options = poll_with()
    body = {"answers": {str(question.pk): options[0].pk}}
    url = f"{API}/polls/{poll.pk}/vote/"
    assert client.post(url, body, content_type="application/json").status_code in (401, 403)
    client.force_login(ResidentFactory(home_municipality=town, email_confirmed=False))
    refused = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403 and "e-mail" in error(refused)["message"]
    client.force_login(ResidentFactory(home_municipality=town))
    bad = client.post(url, {"answers": {str(question.pk): 999999}}, content_type="application/json")
    assert bad.status_code == 400 and f"question_{question.pk}" in error(bad)["fields"]
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    late = client.post(url, body, content_type="application/json")
    assert late.status_code == 400 and error(late)["message"]
    assert not Ballot.objects.filter(poll=poll).exists()


def test_a_changed_vote_answers_200(client, resident):
    poll, question, options = poll_with(allow_change=True)
    client.force_login(resident)
    url = f"{API}/polls/{poll.pk}/vote/"
    client.post(url, {"answers": {str(question.pk): options[0].pk}}, content_type="application/json")
    changed = client.post(url, {"answers": {str(question.pk): options[1].pk}}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["changed"] is True


def test_results_and_the_audit_lines_reproduce_the_published_checksum(client, organiser, department, town,
                                                                      village):
    poll, question, options = poll_with(organisation=department)
    for home, choice in ((town, 0), (town, 1), (village, 1)):
        services.poll_vote(actor=ResidentFactory(home_municipality=home), poll=poll,
                           answers={question.pk: options[choice].pk})
    assert client.get(f"{API}/polls/{poll.pk}/results/").status_code == 404  # hidden while voting
    assert client.get(f"{API}/polls/{poll.pk}/ballots/").status_code == 404
    client.force_login(organiser)
    assert client.post(f"{API}/polls/{poll.pk}/close/").status_code == 200
    client.logout()
    results = client.get(f"{API}/polls/{poll.pk}/results/").json()
    assert results["frozen"] is True and results["ballots"] == 3
    assert [row["count"] for row in results["questions"][0]["rows"]] == [1, 2, 0]
    in_village = client.get(f"{API}/polls/{poll.pk}/results/", {"municipality": str(village.pk)}).json()
    assert in_village["ballots"] == 1 and [row["count"] for row in in_village["questions"][0]["rows"]] == [0, 1, 0]
    lines = b"".join(client.get(f"{API}/polls/{poll.pk}/ballots/").streaming_content)
    assert hashlib.sha256(lines).hexdigest() == results["checksum"]
    assert str(town.pk).encode() in lines and b"@" not in lines  # municipalities, no people


def test_staff_build_a_poll_through_the_api(client, organiser, department, resident):
    now = timezone.now()
    body = {"title": "Новый маршрут", "organisation": department.pk, "opens_at": now.isoformat(),
            "closes_at": (now + dt.timedelta(days=5)).isoformat(), "secret": True,
            "questions": [{"text": "Нужен ли маршрут?", "kind": "single", "options": ["Да", "Нет"]},
                          {"text": "Оцените идею", "kind": "scale", "scale_min": 1, "scale_max": 10}]}
    client.force_login(resident)
    assert client.post(f"{API}/polls/", body, content_type="application/json").status_code == 403
    client.force_login(organiser)
    created = client.post(f"{API}/polls/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "draft" and len(created.json()["questions"]) == 2
    patched = client.patch(f"{API}/polls/{pk}/", {"title": "Маршрут №7"}, content_type="application/json")
    assert patched.json()["title"] == "Маршрут №7"
    assert [p["id"] for p in client.get(f"{API}/polls/managed/").json()["results"]] == [pk]
    assert client.post(f"{API}/polls/{pk}/publish/").json()["status"] == "published"
    assert client.patch(f"{API}/polls/{pk}/", {"title": "Иначе"}, content_type="application/json").status_code == 400
    bad = client.post(f"{API}/polls/", {**body, "questions": []}, content_type="application/json")
    assert bad.status_code == 400 and "questions" in error(bad)["fields"]


# --- priorities ------------------------------------------------------------------------------------

def test_priority_votes_through_the_api(client, resident, town, village, controller):
    regional, local, foreign = PriorityFactory(), PriorityFactory(municipality=town), PriorityFactory(
        municipality=village)
    client.force_login(resident)
    listing = client.get(f"{API}/priorities/").json()
    assert {p["id"] for p in listing["priorities"]} == {regional.pk, local.pk}
    assert listing["votes_left"] == listing["votes_per_period"]
    assert client.post(f"{API}/priorities/{regional.pk}/vote/").status_code == 201
    again = client.post(f"{API}/priorities/{regional.pk}/vote/")
    assert again.status_code == 409 and error(again)["code"] == "already_voted"
    assert client.post(f"{API}/priorities/{foreign.pk}/vote/").status_code == 400
    listing = client.get(f"{API}/priorities/").json()
    assert listing["votes_left"] == listing["votes_per_period"] - 1
    assert [p["voted"] for p in listing["priorities"] if p["id"] == regional.pk] == [True]
    assert client.delete(f"{API}/priorities/{regional.pk}/vote/").status_code == 204
    client.force_login(ResidentFactory(home_municipality=town, residence_verified=False))
    unverified = client.post(f"{API}/priorities/{regional.pk}/vote/", HTTP_ACCEPT_LANGUAGE="en")
    assert unverified.status_code == 403 and "residence" in error(unverified)["message"]
    assert PriorityVote.objects.count() == 0


def test_ranks_are_built_by_controllers_and_read_by_anyone(client, resident, controller, town):
    priority = PriorityFactory()
    PriorityVote.objects.create(voter=resident, priority=priority, municipality=town, slot=1,
                                period=periods.current_period().previous().key)
    key = periods.current_period().previous().key
    client.force_login(resident)
    assert client.post(f"{API}/ranks/", {"period": key}, content_type="application/json").status_code == 403
    client.force_login(controller)
    built = client.post(f"{API}/ranks/", {"period": key}, content_type="application/json")
    assert built.status_code == 201 and built.json()["votes_total"] == 1
    again = client.post(f"{API}/ranks/", {"period": key}, content_type="application/json")
    assert again.status_code == 400
    client.logout()
    assert [b["period"] for b in client.get(f"{API}/ranks/").json()] == [key]
    regional = client.get(f"{API}/ranks/{key}/").json()
    assert regional["municipality"] is None and regional["checksum"] == built.json()["checksum"]
    assert built.json()["scheme"] == regional["scheme"] == 2  # a verifier needs the scheme to pick the formula
    local = client.get(f"{API}/ranks/{key}/", {"municipality": town.pk}).json()
    assert local["entries"][0]["priority"] == priority.pk and local["entries"][0]["votes"] == 1
    assert client.get(f"{API}/ranks/1999-Q1/").status_code == 404


# --- service ratings -------------------------------------------------------------------------------

def test_rating_a_service_and_a_six_refused(client, resident):
    service = GovServiceFactory()
    client.force_login(resident)
    url = f"{API}/services/{service.pk}/rate/"
    six = client.post(url, {"quality": 6, "convenience": 5, "speed": 5}, content_type="application/json")
    assert six.status_code == 400 and list(error(six)["fields"]) == ["quality"]
    assert not ServiceRating.objects.exists()
    ok = client.post(url, {"quality": 5, "convenience": 4, "speed": 3, "comment": "Удобно"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["quality"] == 5
    detail = client.get(f"{API}/services/{service.pk}/").json()
    assert detail["my_rating"]["comment"] == "Удобно"
    client.force_login(ResidentFactory(email_confirmed=False))
    assert client.post(url, {"quality": 5, "convenience": 4, "speed": 3},
                       content_type="application/json").status_code == 403
    assert ServiceRating.objects.count() == 1


def test_service_ranks_and_comments_for_the_organisation_only(client, organiser, department):
    own, foreign = GovServiceFactory(organisation=department), GovServiceFactory(organisation=OrganisationFactory())
    for service in (own, foreign):
        services.service_rate(actor=ResidentFactory(), service=service, quality=4, convenience=4, speed=4,
                              comment="Отзыв")
    month = periods.month_start(timezone.localdate())
    services.service_ranks_build(actor=None, month=month, now=timezone.now() + dt.timedelta(days=62))
    ranks = client.get(f"{API}/services/ranks/", {"criterion": "speed"}).json()
    assert ranks["criterion"] == "speed" and len(ranks["ranks"]) == 2
    assert client.get(f"{API}/services/ranks/", {"criterion": "beauty"}).status_code == 400
    client.force_login(organiser)
    assert client.get(f"{API}/services/{own.pk}/comments/").json()[0]["comment"] == "Отзыв"
    assert client.get(f"{API}/services/{foreign.pk}/comments/").status_code == 404


# --- ideas -----------------------------------------------------------------------------------------

def test_ideas_through_the_api(client, resident, organiser, department):
    campaign = CampaignFactory(organisation=department)
    client.force_login(resident)
    suggested = client.post(f"{API}/campaigns/{campaign.pk}/ideas/", {"title": "Велодорожка", "body": "Вдоль реки"},
                            content_type="application/json")
    assert suggested.status_code == 201 and suggested.json()["moderation"] == "pending"
    pk = suggested.json()["id"]
    client.force_login(organiser)
    assert [i["id"] for i in client.get(f"{API}/ideas/moderation/").json()["results"]] == [pk]
    no_reason = client.post(f"{API}/ideas/{pk}/moderate/", {"decision": "rejected"}, content_type="application/json")
    assert no_reason.status_code == 400
    assert client.post(f"{API}/ideas/{pk}/moderate/", {"decision": "published"},
                       content_type="application/json").json()["moderation"] == "published"
    supporter = ResidentFactory()
    client.force_login(supporter)
    assert client.post(f"{API}/ideas/{pk}/support/").json()["supporters"] == 1
    twice = client.post(f"{API}/ideas/{pk}/support/")
    assert twice.status_code == 409 and error(twice)["code"] == "already_supported"
    assert client.post(f"{API}/ideas/{pk}/answer/", {"status": "accepted", "answer": "Да"},
                       content_type="application/json").status_code == 403
    client.force_login(organiser)
    answered = client.post(f"{API}/ideas/{pk}/answer/", {"status": "implemented", "answer": "Построена."},
                           content_type="application/json")
    assert answered.json()["status"] == "implemented"
    client.logout()
    listed = client.get(f"{API}/campaigns/{campaign.pk}/ideas/").json()["results"]
    assert [(i["id"], i["supporters"]) for i in listed] == [(pk, 1)]
    assert IdeaSupport.objects.count() == 1 and Idea.objects.get().status == "implemented"


def test_a_pending_idea_is_not_shown_to_others(client, resident):
    idea = IdeaFactory(moderation=Idea.Moderation.PENDING)
    assert client.get(f"{API}/ideas/{idea.pk}/").status_code == 404
    client.force_login(idea.author)
    assert client.get(f"{API}/ideas/{idea.pk}/").status_code == 200


def test_resident_writes_are_rate_limited(client, monkeypatch, town):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "public_write", "2/min")
    client.force_login(ResidentFactory(home_municipality=town))
    polls = [poll_with() for _ in range(3)]
    codes = [client.post(f"{API}/polls/{poll.pk}/vote/", {"answers": {str(q.pk): options[0].pk}},
                         content_type="application/json").status_code for poll, q, options in polls]
    assert codes == [201, 201, 429]
    assert Ballot.objects.count() == 2


def test_an_idea_becomes_an_order_through_the_api_once(client, resident, organiser, department):
    from krai.orders.models import Assignment

    idea = IdeaFactory(campaign=CampaignFactory(organisation=department))
    url = f"{API}/ideas/{idea.pk}/order/"
    body = {"executor_organisation": department.pk, "working_days": 15}
    client.force_login(resident)
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(organiser)
    both = client.post(url, {**body, "deadline": "2030-01-10"}, content_type="application/json")
    assert both.status_code == 400 and not Assignment.objects.exists()
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 200 and made.json()["status"] == "in_work"
    assert made.json()["order"] == str(Assignment.objects.get().pk)
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409 and error(again)["code"] == "already_open"
    assert Assignment.objects.count() == 1
