import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from krai.core.events.models import Event
from krai.participation import services
from krai.participation.models import Answer, Ballot, Participation, Poll, PollResult, Question
from krai.participation.selectors import polls as poll_selectors
from krai.participation.tests.factories import OptionFactory, QuestionFactory, ResidentFactory, poll_with

pytestmark = pytest.mark.django_db


def counts(poll):
    return Ballot.objects.filter(poll=poll).count(), Participation.objects.filter(poll=poll).count(), \
        Answer.objects.filter(ballot__poll=poll).count()


def test_a_resident_votes_and_the_ballot_counts_in_his_municipality(resident, town):
    poll, question, options = poll_with()
    ballot = services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[1].pk})
    assert ballot.municipality_id == town.pk
    assert counts(poll) == (1, 1, 1)
    tally = poll_selectors.poll_tally(poll)
    assert tally["ballots"] == 1 and tally["by_municipality"] == {str(town.pk): 1}
    cell = tally["questions"][str(question.pk)]["options"][str(options[1].pk)]
    assert cell["count"] == 1 and cell["by_municipality"] == {str(town.pk): 1}
    assert Event.objects.filter(kind="participation.poll_voted", actor=resident).count() == 1


def test_a_secret_ballot_keeps_no_link_to_the_voter(resident):
    poll, question, options = poll_with(secret=True)
    other, other_q, other_options = poll_with(secret=True)
    ballot = services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    services.poll_vote(actor=resident, poll=other, answers={other_q.pk: other_options[0].pk})
    ballot.refresh_from_db()
    assert ballot.voter_id is None and ballot.cast_at is None
    # a keyed hash: not the id, not a plain hash of it that anyone could recompute
    assert ballot.voter_key == poll_selectors.voter_key(poll, resident.pk)
    assert ballot.voter_key != hashlib.sha256(str(resident.pk).encode()).hexdigest()
    assert Ballot.objects.get(poll=other).voter_key != ballot.voter_key  # not linkable across polls
    event = Event.objects.get(kind="participation.poll_voted", subject_id=str(poll.pk))
    assert str(ballot.pk) not in str(event.payload)


def test_an_open_ballot_names_the_voter(resident):
    poll, question, options = poll_with(secret=False)
    ballot = services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    assert ballot.voter_id == resident.pk and ballot.cast_at is not None


def test_a_second_vote_is_refused_and_changes_nothing(resident):
    poll, question, options = poll_with()
    services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    with pytest.raises(ValidationError) as refused:
        services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[1].pk})
    assert refused.value.code == "already_voted"
    assert counts(poll) == (1, 1, 1)
    assert Answer.objects.get(ballot__poll=poll).option_id == options[0].pk


def test_the_ballot_constraint_holds_even_without_the_participation_row(resident):
    """Were the "has voted" row lost, the ballot's own unique key still refuses the second vote."""
    poll, question, options = poll_with()
    Ballot.objects.create(poll=poll, voter_key=poll_selectors.voter_key(poll, resident.pk))
    with pytest.raises(ValidationError) as refused:
        services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    assert refused.value.code == "already_voted"
    assert counts(poll) == (1, 0, 0)


def test_the_database_refuses_duplicates_by_itself(resident):
    poll, _question, _options = poll_with()
    Participation.objects.create(poll=poll, user=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(poll=poll, user=resident)
    Ballot.objects.create(poll=poll, voter_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=poll, voter_key="k")


def test_a_changeable_vote_is_replaced_not_added(resident):
    poll, question, options = poll_with(allow_change=True)
    services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    ballot = services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[2].pk})
    assert ballot.revision == 2
    assert counts(poll) == (1, 1, 1)
    tally = poll_selectors.poll_tally(poll)["questions"][str(question.pk)]["options"]
    assert str(options[0].pk) not in tally and tally[str(options[2].pk)]["count"] == 1
    assert poll_selectors.own_ballot(user=resident, poll=poll) == {question.pk: options[2].pk}


@pytest.mark.parametrize("when", ["closed_by_time", "closed", "not_yet_open", "draft"])
def test_a_vote_outside_the_open_time_is_refused(resident, when):
    now = timezone.now()
    fields = {
        "closed_by_time": {"opens_at": now - dt.timedelta(days=3), "closes_at": now - dt.timedelta(seconds=1)},
        "closed": {"status": Poll.Status.CLOSED},
        "not_yet_open": {"opens_at": now + dt.timedelta(hours=1), "closes_at": now + dt.timedelta(days=1)},
        "draft": {"status": Poll.Status.DRAFT},
    }[when]
    poll, question, options = poll_with(**fields)
    with pytest.raises(ValidationError) as refused:
        services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    assert refused.value.code in {"closed", "not_yet_open", "not_open"}
    assert counts(poll) == (0, 0, 0)


def test_anonymous_unconfirmed_and_blocked_votes_are_never_counted(town):
    poll, question, options = poll_with()
    unconfirmed = ResidentFactory(home_municipality=town, email_confirmed=False)
    blocked = ResidentFactory(home_municipality=town, is_active=False)
    for actor in (AnonymousUser(), unconfirmed, blocked):
        with pytest.raises(PermissionDenied) as refused:
            services.poll_vote(actor=actor, poll=poll, answers={question.pk: options[0].pk})
        assert str(refused.value)
    assert counts(poll) == (0, 0, 0)


def test_residents_only_and_municipal_audiences(town, village):
    unverified = ResidentFactory(home_municipality=town, residence_verified=False)
    poll, question, options = poll_with(residents_only=True)
    with pytest.raises(PermissionDenied, match="verified"):
        services.poll_vote(actor=unverified, poll=poll, answers={question.pk: options[0].pk})
    local, local_q, local_options = poll_with(audience=Poll.Audience.MUNICIPALITIES)
    local.municipalities.set([village])
    outsider = ResidentFactory(home_municipality=town)
    with pytest.raises(PermissionDenied, match=village.name):
        services.poll_vote(actor=outsider, poll=local, answers={local_q.pk: local_options[0].pk})
    insider = ResidentFactory(home_municipality=village)
    services.poll_vote(actor=insider, poll=local, answers={local_q.pk: local_options[0].pk})
    assert counts(poll) == (0, 0, 0) and counts(local) == (1, 1, 1)


def test_the_municipality_is_the_voters_at_the_moment_of_voting(resident, town, village):
    poll, question, options = poll_with()
    ballot = services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    resident.home_municipality = village
    resident.save()
    ballot.refresh_from_db()
    assert ballot.municipality_id == town.pk


def test_bad_answers_are_refused_with_the_question_named(resident):
    poll, single, options = poll_with()
    multiple = QuestionFactory(poll=poll, kind=Question.Kind.MULTIPLE, position=2, max_choices=2)
    multi_options = [OptionFactory(question=multiple, position=n) for n in (1, 2, 3)]
    scale = QuestionFactory(poll=poll, kind=Question.Kind.SCALE, position=3, scale_min=1, scale_max=5)
    free = QuestionFactory(poll=poll, kind=Question.Kind.FREE, position=4, required=False)
    good = {single.pk: options[0].pk, multiple.pk: [multi_options[0].pk], scale.pk: 3}
    bad_inputs = [
        ({**good, single.pk: multi_options[0].pk}, f"question_{single.pk}"),   # an option of another question
        ({**good, single.pk: "x"}, f"question_{single.pk}"),
        ({**good, multiple.pk: [multi_options[0].pk] * 2}, f"question_{multiple.pk}"),
        ({**good, multiple.pk: [o.pk for o in multi_options]}, f"question_{multiple.pk}"),  # over the limit
        ({**good, scale.pk: 6}, f"question_{scale.pk}"),
        ({**good, scale.pk: 0}, f"question_{scale.pk}"),
        ({k: v for k, v in good.items() if k != scale.pk}, f"question_{scale.pk}"),  # required, missing
        ({**good, free.pk: "я" * 2001}, f"question_{free.pk}"),
        ({**good, 999999: 1}, "answers"),
    ]
    for answers, field in bad_inputs:
        with pytest.raises(ValidationError) as refused:
            services.poll_vote(actor=resident, poll=poll, answers=answers)
        assert field in refused.value.message_dict, (answers, refused.value.message_dict)
    assert counts(poll) == (0, 0, 0)
    services.poll_vote(actor=resident, poll=poll, answers={**good, free.pk: "Больше автобусов"})
    assert counts(poll) == (1, 1, 4)


def test_ranked_questions_score_borda_points(town):
    poll, question, options = poll_with(kind=Question.Kind.RANKED, options=3)
    a, b, c = (o.pk for o in options)
    for order in ([a, b, c], [a, c, b], [b, a]):
        services.poll_vote(actor=ResidentFactory(home_municipality=town), poll=poll, answers={question.pk: order})
    cells = poll_selectors.poll_tally(poll)["questions"][str(question.pk)]["options"]
    # 3 points for a first place, 2 for a second, 1 for a third
    assert {pk: cells[str(pk)]["points"] for pk in (a, b, c)} == {a: 3 + 3 + 2, b: 2 + 1 + 3, c: 1 + 2}
    assert {pk: cells[str(pk)]["first"] for pk in (a, b, c)} == {a: 2, b: 1, c: 0}
    table = poll_selectors.results_table(poll, poll_selectors.poll_tally(poll))
    assert [row["id"] for row in table[0]["rows"]] == [a, b, c]


def test_results_per_municipality_and_overall(town, village):
    poll, question, options = poll_with()
    for home, choice in ((town, 0), (town, 0), (town, 1), (village, 1)):
        services.poll_vote(actor=ResidentFactory(home_municipality=home), poll=poll,
                           answers={question.pk: options[choice].pk})
    data = poll_selectors.poll_tally(poll)
    overall = poll_selectors.results_table(poll, data)[0]
    assert [(r["count"], r["share"]) for r in overall["rows"]] == [(2, 50.0), (2, 50.0), (0, 0.0)]
    in_town = poll_selectors.results_table(poll, data, municipality=str(town.pk))[0]
    assert in_town["ballots"] == 3 and [r["count"] for r in in_town["rows"]] == [2, 1, 0]
    in_village = poll_selectors.results_table(poll, data, municipality=str(village.pk))[0]
    assert [r["count"] for r in in_village["rows"]] == [0, 1, 0]


def test_closing_freezes_the_results_with_a_checksum_of_the_ballots(organiser, department, town):
    poll, question, options = poll_with(organisation=department)
    for choice in (0, 1, 1):
        services.poll_vote(actor=ResidentFactory(home_municipality=town), poll=poll,
                           answers={question.pk: options[choice].pk})
    services.poll_close(actor=organiser, poll=poll)
    poll.refresh_from_db()
    result = PollResult.objects.get(poll=poll)
    assert poll.status == Poll.Status.CLOSED and result.ballots == 3
    assert result.data == poll_selectors.poll_tally(poll)
    assert services.poll_verify(poll=poll) is True
    with pytest.raises(ValidationError):  # closed means closed
        services.poll_vote(actor=ResidentFactory(home_municipality=town), poll=poll,
                           answers={question.pk: options[0].pk})
    # a ballot altered behind the application's back no longer gives the published checksum
    answer = Answer.objects.filter(ballot__poll=poll, option=options[1]).first()
    Answer.objects.filter(pk=answer.pk).update(option=options[2])
    assert services.poll_verify(poll=poll) is False


def test_the_scheduled_job_closes_due_polls_only(town):
    due, question, options = poll_with()
    services.poll_vote(actor=ResidentFactory(home_municipality=town), poll=due, answers={question.pk: options[0].pk})
    Poll.objects.filter(pk=due.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    running, _q, _o = poll_with()
    from krai.participation import tasks

    tasks.close_due_polls.call_local()
    assert Poll.objects.get(pk=due.pk).status == Poll.Status.CLOSED
    assert PollResult.objects.get(poll=due).ballots == 1
    assert Poll.objects.get(pk=running.pk).status == Poll.Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.poll_close(actor=None, poll=running)


def test_only_organisers_create_and_manage_polls(organiser, department, resident, town):
    now = timezone.now()
    spec = {"title": "Маршрутная сеть", "opens_at": now, "closes_at": now + dt.timedelta(days=7),
            "questions": [{"text": "Какой маршрут важнее?", "kind": "single", "options": ["№1", "№2"]}]}
    with pytest.raises(PermissionDenied):
        services.poll_create(actor=resident, **spec)
    poll = services.poll_create(actor=organiser, organisation=department, **spec)
    assert poll.status == Poll.Status.DRAFT and poll.questions.get().options.count() == 2
    with pytest.raises(PermissionDenied):
        services.poll_publish(actor=resident, poll=poll)
    services.poll_publish(actor=organiser, poll=poll)
    with pytest.raises(ValidationError):  # a published poll's rules stay as announced
        services.poll_update(actor=organiser, poll=poll, allow_change=True)
    assert Event.objects.filter(kind__in=["participation.poll_created", "participation.poll_published"]).count() == 2


@pytest.mark.parametrize("change", [
    {"title": "  "},
    {"closes_at_before": True},
    {"audience": "municipalities"},
    {"questions": []},
    {"questions": [{"text": "Один вариант?", "kind": "single", "options": ["да"]}]},
    {"questions": [{"text": "Шкала?", "kind": "scale", "scale_min": 5, "scale_max": 1}]},
    {"questions": [{"text": "Неведомо?", "kind": "poem"}]},
    {"questions": [{"text": "Сколько?", "kind": "multiple", "options": ["a", "b"], "max_choices": 3}]},
])
def test_a_bad_poll_is_refused_and_nothing_is_written(organiser, department, change):
    now = timezone.now()
    spec = {"title": "Опрос", "opens_at": now, "closes_at": now + dt.timedelta(days=1),
            "questions": [{"text": "Вопрос?", "kind": "single", "options": ["a", "b"]}]}
    if change.pop("closes_at_before", False):
        spec["closes_at"] = now - dt.timedelta(days=1)
    spec.update(change)
    with pytest.raises(ValidationError):
        services.poll_create(actor=organiser, organisation=department, **spec)
    assert not Poll.objects.exists() and not Event.objects.filter(kind="participation.poll_created").exists()


def test_a_poll_for_an_organisation_out_of_scope_is_refused(organiser):
    from krai.org.tests.factories import OrganisationFactory

    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.poll_create(actor=organiser, organisation=OrganisationFactory(), title="Чужой",
                             opens_at=now, closes_at=now + dt.timedelta(days=1),
                             questions=[{"text": "?", "kind": "free"}])
    assert "organisation" in refused.value.message_dict


def test_results_show_by_the_polls_rules(resident, organiser, department):
    hidden, question, options = poll_with(organisation=department, results_during=False)
    services.poll_vote(actor=resident, poll=hidden, answers={question.pk: options[0].pk})
    assert poll_selectors.poll_results(user=resident, poll=hidden) is None
    assert poll_selectors.poll_results(user=organiser, poll=hidden)["data"]["ballots"] == 1
    shown, _q, _o = poll_with(results_during=True)
    assert poll_selectors.poll_results(user=AnonymousUser(), poll=shown)["frozen"] is False
    services.poll_close(actor=organiser, poll=hidden)
    hidden.refresh_from_db()
    results = poll_selectors.poll_results(user=AnonymousUser(), poll=hidden)
    assert results["frozen"] is True and results["checksum"] == PollResult.objects.get(poll=hidden).checksum
