"""The participation pages: each renders; good input through the forms is written; bad input shows an error
and changes nothing (statuses and database state are asserted, never translated text)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign
from krai.participation import services
from krai.participation.models import (
    Answer,
    Ballot,
    Campaign,
    Idea,
    IdeaSupport,
    Participation,
    Poll,
    PriorityVote,
    Question,
    ServiceRating,
)
from krai.participation.tests.factories import (
    CampaignFactory,
    GovServiceFactory,
    IdeaFactory,
    PriorityFactory,
    ResidentFactory,
    poll_with,
)

pytestmark = pytest.mark.django_db
AFTER = timezone.now() + dt.timedelta(days=400)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def as_resident(client, resident):
    client.force_login(resident)
    return client


def ballots(poll):
    return (Ballot.objects.filter(poll=poll).count(), Participation.objects.filter(poll=poll).count(),
            Answer.objects.filter(ballot__poll=poll).count())


def error_shown(response) -> bool:
    content = response.content.decode()
    return 'role="alert"' in content or "invalid-feedback" in content


# --- every page renders ----------------------------------------------------------------------------

def test_the_residents_pages_render_for_anyone_and_for_a_resident(client, resident, town, department):
    open_poll, _question, _options = poll_with(kind=Question.Kind.RANKED, results_during=True)
    closed, closed_q, closed_options = poll_with()
    voter = ResidentFactory(home_municipality=town)
    services.poll_vote(actor=voter, poll=closed, answers={closed_q.pk: closed_options[0].pk})
    closed.closes_at = timezone.now() - dt.timedelta(minutes=1)
    closed.save()
    services.poll_close_due()
    PriorityFactory()
    PriorityFactory(municipality=town)
    service = GovServiceFactory(organisation=department)
    campaign = CampaignFactory()
    idea = IdeaFactory(campaign=campaign)
    pages = [
        reverse("participation:polls"), reverse("participation:polls") + "?state=closed",
        reverse("participation:poll", args=[open_poll.pk]), reverse("participation:poll_results", args=[open_poll.pk]),
        reverse("participation:poll", args=[closed.pk]), reverse("participation:poll_results", args=[closed.pk]),
        reverse("participation:poll_results", args=[closed.pk]) + f"?municipality={town.pk}",
        reverse("participation:priorities"), reverse("participation:priorities") + f"?municipality={town.pk}",
        reverse("participation:ranks"), reverse("participation:ratings"), reverse("participation:ratings") + "?q=1",
        reverse("participation:service", args=[service.pk]), reverse("participation:service_ranks"),
        reverse("participation:ideas"), reverse("participation:ideas") + "?state=open",
        reverse("participation:campaign", args=[campaign.pk]), reverse("participation:idea", args=[idea.pk]),
    ]
    for who in (None, resident):
        if who:
            client.force_login(who)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
    csv = client.get(reverse("participation:poll_results_csv", args=[closed.pk]))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("question,kind,answer,municipality_id")
    assert any(f",{town.pk}," in line and line.endswith(",1,100.0,0") for line in lines)


def test_hidden_results_are_not_shown_nor_exported(client):
    poll, _question, _options = poll_with(results_during=False)
    assert "poll-charts" not in client.get(reverse("participation:poll_results", args=[poll.pk])).content.decode()
    assert client.get(reverse("participation:poll_results_csv", args=[poll.pk])).status_code == 403


def test_a_draft_is_not_public(client, resident):
    poll, _question, _options = poll_with(status=Poll.Status.DRAFT)
    client.force_login(resident)
    assert client.get(reverse("participation:poll", args=[poll.pk])).status_code == 404


def test_the_ranks_page_shows_the_published_rank_and_its_checksums(client, resident, town):
    priority = PriorityFactory()
    services.priority_vote(actor=resident, priority=priority)
    from krai.participation import periods

    build = services.rank_build(actor=None, period=periods.current_period().key, now=AFTER)
    for query in ("", f"?municipality={town.pk}", f"?period={build.period}"):
        response = client.get(reverse("participation:ranks") + query)
        assert response.status_code == 200
        assert build.checksum in response.content.decode()
        assert f'id="checksum-scheme">{build.scheme}<' in response.content.decode()
    assert client.get(reverse("participation:ranks") + "?period=1999-Q1").status_code == 404


def test_the_workspace_pages_render_for_an_organiser_and_refuse_residents(client, organiser, department, resident):
    poll = services.poll_create(actor=organiser, title="Маршруты", organisation=department,
                                opens_at=timezone.now(), closes_at=timezone.now() + dt.timedelta(days=3),
                                questions=[{"text": "Какой?", "kind": "single", "options": ["А", "Б"]}])
    service = GovServiceFactory(organisation=department)
    campaign = CampaignFactory(organisation=department)
    idea = IdeaFactory(campaign=campaign, moderation=Idea.Moderation.PENDING)
    pages = [reverse("participation:ws_home"), reverse("participation:ws_polls"),
             reverse("participation:ws_poll_new"), reverse("participation:ws_poll", args=[poll.pk]),
             reverse("participation:ws_services"), reverse("participation:ws_service", args=[service.pk]),
             reverse("participation:ws_campaigns"), reverse("participation:ws_campaign_new"),
             reverse("participation:ws_moderation"), reverse("participation:ws_moderation") + "?state=published",
             reverse("participation:ws_idea", args=[idea.pk])]
    client.force_login(organiser)
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(resident)
    for url in pages:
        assert client.get(url).status_code == 403, url
    client.logout()
    assert client.get(pages[0]).status_code == 302  # to the login page


def test_staff_out_of_scope_get_404_for_anothers_poll_service_and_idea(client, organiser, department):
    poll = services.poll_create(actor=organiser, title="Маршруты", organisation=department,
                                opens_at=timezone.now(), closes_at=timezone.now() + dt.timedelta(days=3),
                                questions=[{"text": "Какой?", "kind": "free"}])
    service = GovServiceFactory(organisation=department)
    idea = IdeaFactory(campaign=CampaignFactory(organisation=department))
    stranger = StaffFactory()
    assign(stranger, Role.HEAD, organisation=OrganisationFactory())
    client.force_login(stranger)
    for url in (reverse("participation:ws_poll", args=[poll.pk]),
                reverse("participation:ws_service", args=[service.pk]),
                reverse("participation:ws_idea", args=[idea.pk])):
        assert client.get(url).status_code == 404, url


# --- polls: voting through the page ----------------------------------------------------------------

def test_a_resident_votes_through_the_page(as_resident):
    poll, question, options = poll_with()
    response = as_resident.post(reverse("participation:poll_vote", args=[poll.pk]), {f"q{question.pk}": options[1].pk})
    assert response.status_code == 302
    assert ballots(poll) == (1, 1, 1)
    assert Answer.objects.get(ballot__poll=poll).option_id == options[1].pk
    assert as_resident.get(reverse("participation:poll", args=[poll.pk])).status_code == 200


def test_every_kind_of_question_through_the_page(as_resident):
    poll, single, single_options = poll_with()
    from krai.participation.tests.factories import OptionFactory, QuestionFactory

    multiple = QuestionFactory(poll=poll, kind=Question.Kind.MULTIPLE, position=2)
    m_options = [OptionFactory(question=multiple, position=n) for n in (1, 2, 3)]
    ranked = QuestionFactory(poll=poll, kind=Question.Kind.RANKED, position=3)
    r_options = [OptionFactory(question=ranked, position=n) for n in (1, 2, 3)]
    scale = QuestionFactory(poll=poll, kind=Question.Kind.SCALE, position=4)
    free = QuestionFactory(poll=poll, kind=Question.Kind.FREE, position=5, required=False)
    data = {f"q{single.pk}": single_options[0].pk, f"q{multiple.pk}": [m_options[0].pk, m_options[2].pk],
            f"q{ranked.pk}_o{r_options[2].pk}": "1", f"q{ranked.pk}_o{r_options[0].pk}": "2",
            f"q{scale.pk}": "4", f"q{free.pk}": "Больше автобусов"}
    # two options on the same place: refused by the page, nothing written
    bad = {**data, f"q{ranked.pk}_o{r_options[0].pk}": "1"}
    response = as_resident.post(reverse("participation:poll_vote", args=[poll.pk]), bad)
    assert response.status_code == 400 and error_shown(response)
    assert ballots(poll) == (0, 0, 0)
    response = as_resident.post(reverse("participation:poll_vote", args=[poll.pk]), data)
    assert response.status_code == 302
    ranks = list(Answer.objects.filter(question=ranked).order_by("rank").values_list("option_id", "rank"))
    assert ranks == [(r_options[2].pk, 1), (r_options[0].pk, 2)]
    assert Answer.objects.get(question=scale).value == 4
    assert Answer.objects.get(question=free).text == "Больше автобусов"
    assert Answer.objects.filter(question=multiple).count() == 2


def test_a_double_vote_shows_an_error_and_changes_nothing(as_resident):
    poll, question, options = poll_with(allow_change=False)
    url = reverse("participation:poll_vote", args=[poll.pk])
    as_resident.post(url, {f"q{question.pk}": options[0].pk})
    before = ballots(poll)
    response = as_resident.post(url, {f"q{question.pk}": options[1].pk})
    assert response.status_code == 400 and error_shown(response)
    assert ballots(poll) == before
    assert Answer.objects.get(ballot__poll=poll).option_id == options[0].pk


def test_a_vote_may_be_changed_where_the_poll_allows_it(as_resident):
    poll, question, options = poll_with(allow_change=True)
    url = reverse("participation:poll_vote", args=[poll.pk])
    as_resident.post(url, {f"q{question.pk}": options[0].pk})
    page = as_resident.get(reverse("participation:poll", args=[poll.pk])).content.decode()
    assert f'value="{options[0].pk}" checked' in page  # the form shows his vote to change
    assert as_resident.post(url, {f"q{question.pk}": options[2].pk}).status_code == 302
    assert ballots(poll) == (1, 1, 1)
    assert Answer.objects.get(ballot__poll=poll).option_id == options[2].pk


def test_a_vote_after_closing_shows_an_error_and_changes_nothing(as_resident, organiser):
    poll, question, options = poll_with(closes_at=timezone.now() - dt.timedelta(minutes=1))
    response = as_resident.post(reverse("participation:poll_vote", args=[poll.pk]), {f"q{question.pk}": options[0].pk})
    assert response.status_code == 400 and error_shown(response)
    assert ballots(poll) == (0, 0, 0)


def test_an_unconfirmed_account_cannot_vote_rate_suggest_or_support(client, town, department):
    unconfirmed = ResidentFactory(home_municipality=town, email_confirmed=False)
    client.force_login(unconfirmed)
    poll, question, options = poll_with()
    priority = PriorityFactory()
    service = GovServiceFactory(organisation=department)
    campaign = CampaignFactory()
    idea = IdeaFactory(campaign=campaign)
    posts = [
        (reverse("participation:poll_vote", args=[poll.pk]), {f"q{question.pk}": options[0].pk}),
        (reverse("participation:priority_vote", args=[priority.pk]), {}),
        (reverse("participation:service_rate", args=[service.pk]), {"quality": 5, "convenience": 5, "speed": 5}),
        (reverse("participation:idea_suggest", args=[campaign.pk]), {"title": "Идея", "body": "Текст"}),
        (reverse("participation:idea_support", args=[idea.pk]), {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 403 and error_shown(response), url
    assert ballots(poll) == (0, 0, 0)
    assert not PriorityVote.objects.exists() and not ServiceRating.objects.exists()
    assert Idea.objects.count() == 1 and not IdeaSupport.objects.exists()


def test_an_anonymous_visitor_cannot_vote(client):
    poll, question, options = poll_with()
    response = client.post(reverse("participation:poll_vote", args=[poll.pk]), {f"q{question.pk}": options[0].pk})
    assert response.status_code == 403 and ballots(poll) == (0, 0, 0)


def test_a_poll_for_verified_residents_refuses_an_unverified_one(client, town):
    poll, question, options = poll_with(residents_only=True)
    client.force_login(ResidentFactory(home_municipality=town, residence_verified=False))
    response = client.post(reverse("participation:poll_vote", args=[poll.pk]), {f"q{question.pk}": options[0].pk})
    assert response.status_code == 403 and ballots(poll) == (0, 0, 0)


def test_an_unanswered_required_question_is_refused(as_resident):
    poll, _question, _options = poll_with()
    response = as_resident.post(reverse("participation:poll_vote", args=[poll.pk]), {})
    assert response.status_code == 400 and error_shown(response)
    assert ballots(poll) == (0, 0, 0)


# --- priorities ------------------------------------------------------------------------------------

def test_a_resident_votes_for_a_priority_and_withdraws_it(as_resident, resident, town):
    priority = PriorityFactory()
    url = reverse("participation:priority_vote", args=[priority.pk])
    assert as_resident.post(url, {"municipality": town.pk}).status_code == 302
    vote = PriorityVote.objects.get()
    assert vote.voter_id == resident.pk and vote.municipality_id == town.pk
    response = as_resident.post(url)  # a second vote for the same priority
    assert response.status_code == 400 and error_shown(response)
    assert PriorityVote.objects.count() == 1
    assert as_resident.post(url, {"action": "withdraw"}).status_code == 302
    assert not PriorityVote.objects.exists()


def test_a_priority_of_another_municipality_is_refused(as_resident, village):
    foreign = PriorityFactory(municipality=village)
    response = as_resident.post(reverse("participation:priority_vote", args=[foreign.pk]))
    assert response.status_code == 400 and not PriorityVote.objects.exists()


def test_an_unverified_resident_cannot_vote_for_priorities(client, town):
    client.force_login(ResidentFactory(home_municipality=town, residence_verified=False))
    response = client.post(reverse("participation:priority_vote", args=[PriorityFactory().pk]))
    assert response.status_code == 403 and not PriorityVote.objects.exists()


# --- service ratings -------------------------------------------------------------------------------

def test_a_resident_rates_a_service_and_amends_the_rating(as_resident, department):
    service = GovServiceFactory(organisation=department)
    url = reverse("participation:service_rate", args=[service.pk])
    assert as_resident.post(url, {"quality": 5, "convenience": 4, "speed": 3, "comment": "Быстро"}).status_code == 302
    assert as_resident.post(url, {"quality": 2, "convenience": 4, "speed": 3}).status_code == 302
    rating = ServiceRating.objects.get()
    assert (rating.quality, rating.convenience, rating.speed, rating.comment) == (2, 4, 3, "")


@pytest.mark.parametrize("marks", [{"quality": 6, "convenience": 4, "speed": 3},
                                   {"quality": 5, "convenience": 0, "speed": 3},
                                   {"quality": 5, "convenience": 4},
                                   {"quality": "five", "convenience": 4, "speed": 3}])
def test_a_mark_out_of_one_to_five_shows_an_error_and_changes_nothing(as_resident, department, marks):
    service = GovServiceFactory(organisation=department)
    response = as_resident.post(reverse("participation:service_rate", args=[service.pk]), marks)
    assert response.status_code == 400 and error_shown(response)
    assert not ServiceRating.objects.exists()


def test_a_rating_of_six_leaves_an_earlier_rating_as_it_was(as_resident, department):
    service = GovServiceFactory(organisation=department)
    url = reverse("participation:service_rate", args=[service.pk])
    as_resident.post(url, {"quality": 3, "convenience": 3, "speed": 3})
    assert as_resident.post(url, {"quality": 6, "convenience": 5, "speed": 5}).status_code == 400
    assert ServiceRating.objects.values_list("quality", "convenience", "speed").get() == (3, 3, 3)


# --- ideas -----------------------------------------------------------------------------------------

def test_a_resident_suggests_an_idea_and_another_supports_it(as_resident, resident, town):
    campaign = CampaignFactory()
    response = as_resident.post(reverse("participation:idea_suggest", args=[campaign.pk]),
                                {"title": "Скамейки", "body": "Вдоль набережной"})
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.author_id == resident.pk and idea.moderation == Idea.Moderation.PENDING
    idea.moderation = Idea.Moderation.PUBLISHED
    idea.save()
    other = ResidentFactory(home_municipality=town)
    as_resident.force_login(other)
    url = reverse("participation:idea_support", args=[idea.pk])
    assert as_resident.post(url).status_code == 302
    response = as_resident.post(url)  # a second support
    assert response.status_code == 400 and IdeaSupport.objects.count() == 1
    fragment = as_resident.post(url, {"action": "withdraw"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and 'id="idea-support"' in fragment.content.decode()
    assert not IdeaSupport.objects.exists()


def test_an_empty_idea_or_a_closed_campaign_is_refused(as_resident):
    campaign = CampaignFactory()
    response = as_resident.post(reverse("participation:idea_suggest", args=[campaign.pk]), {"title": "", "body": ""})
    assert response.status_code == 400 and error_shown(response)
    past = CampaignFactory(starts_on=timezone.localdate() - dt.timedelta(days=30),
                           ends_on=timezone.localdate() - dt.timedelta(days=1))
    response = as_resident.post(reverse("participation:idea_suggest", args=[past.pk]), {"title": "И", "body": "Т"})
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_a_pending_idea_is_hidden_from_others(client, resident):
    idea = IdeaFactory(moderation=Idea.Moderation.PENDING)
    assert client.get(reverse("participation:idea", args=[idea.pk])).status_code == 404
    client.force_login(idea.author)
    assert client.get(reverse("participation:idea", args=[idea.pk])).status_code == 200


# --- staff -----------------------------------------------------------------------------------------

POLL_FORM = {
    "title": "Маршрутная сеть", "description": "", "audience": "region",
    "questions": "? single: Какой маршрут нужен?\n- № 1\n- № 2\n? scale 1-10: Оцените транспорт\n"
                 "? free optional: Что ещё?",
}


def _dates(days_from: int, days_to: int) -> dict:
    now = timezone.localtime()
    return {"opens_at": (now + dt.timedelta(days=days_from)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=days_to)).strftime("%Y-%m-%dT%H:%M")}


def test_staff_create_publish_and_close_a_poll_through_the_pages(client, organiser, department, resident):
    client.force_login(organiser)
    response = client.post(reverse("participation:ws_poll_new"),
                           {**POLL_FORM, **_dates(-1, 5), "organisation": department.pk, "secret": "on"})
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert poll.status == Poll.Status.DRAFT and poll.secret and poll.organisation_id == department.pk
    kinds = list(poll.questions.values_list("kind", "scale_max", "required"))
    assert kinds == [("single", 5, True), ("scale", 10, True), ("free", 5, False)]
    assert client.post(reverse("participation:ws_poll_action", args=[poll.pk, "publish"])).status_code == 302
    poll.refresh_from_db()
    assert poll.status == Poll.Status.PUBLISHED
    assert client.post(reverse("participation:ws_poll_action", args=[poll.pk, "publish"])).status_code == 400
    assert client.post(reverse("participation:ws_poll_action", args=[poll.pk, "close"])).status_code == 302
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED and poll.result.ballots == 0
    assert client.get(reverse("participation:ws_poll", args=[poll.pk])).status_code == 200


@pytest.mark.parametrize("change", [
    {"questions": "? single: Один вариант\n- только"},  # one option
    {"questions": "Вопрос без разметки"},  # not the notation
    {"title": ""},
    {"audience": "municipalities"},  # without municipalities
    "dates",
])
def test_a_bad_poll_form_shows_errors_and_writes_nothing(client, organiser, change):
    client.force_login(organiser)
    data = {**POLL_FORM, **(_dates(3, 1) if change == "dates" else _dates(0, 3))}
    if change != "dates":
        data.update(change)
    response = client.post(reverse("participation:ws_poll_new"), data)
    assert response.status_code == 400 and error_shown(response)
    assert not Poll.objects.exists()


def test_a_resident_cannot_create_a_poll(client, resident):
    client.force_login(resident)
    response = client.post(reverse("participation:ws_poll_new"), {**POLL_FORM, **_dates(0, 3)})
    assert response.status_code == 403 and not Poll.objects.exists()


def test_staff_open_a_campaign_moderate_and_answer_an_idea(client, organiser, department):
    client.force_login(organiser)
    today = timezone.localdate()
    response = client.post(reverse("participation:ws_campaign_new"), {
        "title": "Идеи для набережной", "topic": "Набережная", "organisation": department.pk,
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=30)).isoformat()})
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    idea = IdeaFactory(campaign=campaign, moderation=Idea.Moderation.PENDING)
    url = reverse("participation:ws_idea_moderate", args=[idea.pk])
    assert client.post(url, {"decision": "rejected", "reason": ""}).status_code == 400  # a reason is required
    idea.refresh_from_db()
    assert idea.moderation == Idea.Moderation.PENDING
    assert client.post(url, {"decision": "published"}).status_code == 302
    answer = reverse("participation:ws_idea_answer", args=[idea.pk])
    assert client.post(answer, {"status": "rejected", "answer": ""}).status_code == 400
    assert client.post(answer, {"status": "in_work", "answer": "Включено в план на 2027 год."}).status_code == 302
    idea.refresh_from_db()
    assert (idea.moderation, idea.status, idea.answered_by_id) == ("published", "in_work", organiser.pk)


def test_a_bad_campaign_form_writes_nothing(client, organiser):
    client.force_login(organiser)
    today = timezone.localdate()
    response = client.post(reverse("participation:ws_campaign_new"), {
        "title": "Идеи", "topic": "Тема", "starts_on": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and not Campaign.objects.exists()


def test_page_writes_are_rate_limited(as_resident, department, monkeypatch):
    from krai.participation.views import _common

    monkeypatch.setattr(_common, "PUBLIC_WRITE_RATE", "3/d")  # a day's window: no boundary falls inside the test
    service = GovServiceFactory(organisation=department)
    url = reverse("participation:service_rate", args=[service.pk])
    statuses = [as_resident.post(url, {"quality": 6}).status_code for _n in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_an_unknown_user_gets_nothing_of_the_workspace(client):
    client.force_login(UserFactory())
    assert client.get(reverse("participation:ws_polls")).status_code == 403


def test_anyone_recomputes_a_published_rank_and_its_checksums_from_the_votes_export(client, town, village):
    import csv
    import hashlib
    from collections import defaultdict

    from krai.participation import periods
    from krai.participation.checksums import vote_hash
    from krai.participation.models import RankBuild, RankEntry, RankSnapshot
    from krai.participation.services.priorities import regional_checksum, snapshot_checksum

    regional, local = PriorityFactory(), PriorityFactory(municipality=village)
    for n in range(5):
        services.priority_vote(actor=ResidentFactory(home_municipality=town if n < 3 else village), priority=regional)
    services.priority_vote(actor=ResidentFactory(home_municipality=village), priority=local)
    build = services.rank_build(actor=None, period=periods.current_period().key, now=AFTER)
    response = client.get(reverse("participation:rank_votes_csv", args=[build.period]))
    assert response.status_code == 200
    rows = list(csv.DictReader(b"".join(response.streaming_content).decode().splitlines()))
    assert len(rows) == 6 and "voter" not in ",".join(rows[0])
    ids = defaultdict(list)
    for row in rows:
        ids[(int(row["municipality_id"]), int(row["priority_id"]))].append(int(row["vote_id"]))
    per_municipality = defaultdict(list)
    for snapshot in RankSnapshot.objects.filter(build=build, municipality__isnull=False):
        for entry in RankEntry.objects.filter(snapshot=snapshot):
            votes = sorted(ids.get((snapshot.municipality_id, entry.priority_id), []))
            # scheme 2 as docs/participation.md states it: count, and the sum mod 2^64 of each id's hash
            total = sum(vote_hash(vote_id) for vote_id in votes) % 2**64
            digest = hashlib.sha256(f"2:{len(votes)}:{total}".encode()).hexdigest() if votes else ""
            assert (entry.votes, entry.checksum) == (len(votes), digest)
            per_municipality[snapshot.municipality_id].append((entry.priority_id, entry.votes, entry.checksum))
        assert snapshot.checksum == snapshot_checksum(per_municipality[snapshot.municipality_id])
    municipal = [(m, snapshot_checksum(rows)) for m, rows in per_municipality.items()]
    assert RankBuild.objects.get(pk=build.pk).checksum == regional_checksum(municipal)
    assert client.get(reverse("participation:rank_votes_csv", args=["2001-Q1"])).status_code == 404


def test_staff_turn_an_idea_into_an_order_of_the_control_engine(client, organiser, department, resident):
    from django.core.exceptions import PermissionDenied, ValidationError

    from krai.orders.models import Assignment
    from krai.org.tests.factories import OrganisationFactory

    idea = IdeaFactory(campaign=CampaignFactory(organisation=department), status=Idea.Status.ACCEPTED)
    url = reverse("participation:ws_idea_order", args=[idea.pk])
    client.force_login(resident)
    assert client.post(url, {"executor_organisation": department.pk, "working_days": 10}).status_code == 403
    client.force_login(organiser)
    assert client.get(reverse("participation:ws_idea", args=[idea.pk])).status_code == 200
    other = OrganisationFactory()
    assert client.post(url, {"executor_organisation": other.pk, "working_days": 10}).status_code == 400
    assert client.post(url, {"executor_organisation": department.pk, "working_days": 0}).status_code == 400
    assert not Assignment.objects.exists()
    assert client.post(url, {"executor_organisation": department.pk, "working_days": 10}).status_code == 302
    idea.refresh_from_db()
    assignment = Assignment.objects.get()
    assert idea.order_reference == str(assignment.pk) and idea.status == Idea.Status.IN_WORK
    assert (assignment.subject_id, assignment.kind, assignment.executor_organisation_id) == (
        str(idea.pk), "participation.idea", department.pk)
    assert client.get(reverse("participation:ws_idea", args=[idea.pk])).status_code == 200
    assert client.post(url, {"executor_organisation": department.pk, "working_days": 10}).status_code == 400
    assert Assignment.objects.count() == 1
    with pytest.raises(PermissionDenied):  # the engine refuses an executor outside the actor's reach
        services.idea_to_order(actor=organiser, idea=IdeaFactory(campaign=idea.campaign), executor_organisation=other,
                               working_days=5)
    with pytest.raises(ValidationError):
        services.idea_to_order(actor=organiser, idea=IdeaFactory(campaign=idea.campaign, status="rejected",
                                                                 answer="Нет"),
                               executor_organisation=department, working_days=5)
    assert Assignment.objects.count() == 1
