"""After voting a resident sees what he voted and the results the poll allows; a refused form keeps his input."""

import pytest
from django.urls import reverse

from krai.participation import services
from krai.participation.models import Question
from krai.participation.tests.factories import QuestionFactory, poll_with

pytestmark = pytest.mark.django_db


def test_a_voter_sees_his_answer_and_the_results_not_an_empty_form(client, resident):
    poll, question, options = poll_with(results_during=True, allow_change=False)
    free = QuestionFactory(poll=poll, kind=Question.Kind.FREE, position=2, required=False)
    services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[1].pk, free.pk: "Больше автобусов"})
    client.force_login(resident)
    page = client.get(reverse("participation:poll", args=[poll.pk]))
    html = page.content.decode()
    mine = {row["question"].pk: row["answer"] for row in page.context["my_answers"]}
    assert mine == {question.pk: [options[1].text], free.pk: ["Больше автобусов"]}
    assert 'id="poll-form"' not in html and 'id="poll-mine"' in html
    table = page.context["results_table"]
    counts = [(row["label"], row["count"]) for row in table[0]["rows"]]
    assert counts == [(o.text, int(o == options[1])) for o in options]


def test_results_stay_hidden_after_voting_where_the_poll_hides_them(client, resident):
    poll, question, options = poll_with(results_during=False, allow_change=False)
    services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    client.force_login(resident)
    page = client.get(reverse("participation:poll", args=[poll.pk]))
    assert page.context["results_table"] is None
    assert [row["answer"] for row in page.context["my_answers"]] == [[options[0].text]]


def test_a_ranked_answer_refused_for_a_repeated_place_comes_back_exactly_as_entered(client, resident):
    poll, question, options = poll_with(kind=Question.Kind.RANKED)
    client.force_login(resident)
    sent = {f"q{question.pk}_o{options[0].pk}": "1", f"q{question.pk}_o{options[1].pk}": "1",
            f"q{question.pk}_o{options[2].pk}": "2"}
    response = client.post(reverse("participation:poll_vote", args=[poll.pk]), sent)
    assert response.status_code == 400
    places = {o["option"].pk: o["place"] for o in response.context["form"][0]["options"]}
    assert places == {options[0].pk: 1, options[1].pk: 1, options[2].pk: 2}

