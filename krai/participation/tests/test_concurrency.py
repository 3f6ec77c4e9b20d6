"""Two requests at the same moment: the database, not Python, decides that only one vote counts.

Runs on PostgreSQL (SQLite's test database cannot be shared by threads); on SQLite writes are one at a
time anyway, and the constraint tests in test_polls.py cover the same refusal.
"""


import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from krai.core.tests.concurrency import at_once
from krai.participation import services
from krai.participation.models import Answer, Ballot, Participation, PriorityVote
from krai.participation.tests.factories import PriorityFactory, ResidentFactory, poll_with

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent sessions"),
]


def test_two_simultaneous_votes_of_one_person_count_once():
    resident = ResidentFactory()
    poll, question, options = poll_with()
    outcomes = at_once(
        lambda: services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk}),
        lambda: services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[1].pk}),
    )
    ballots = [o for o in outcomes if isinstance(o, Ballot)]
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(ballots) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].code == "already_voted"
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Answer.objects.filter(ballot__poll=poll).count() == 1


def test_two_simultaneous_priority_votes_count_once():
    resident = ResidentFactory()
    priority = PriorityFactory()
    outcomes = at_once(lambda: services.priority_vote(actor=resident, priority=priority),
                       lambda: services.priority_vote(actor=resident, priority=priority))
    assert sum(isinstance(o, PriorityVote) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    assert PriorityVote.objects.filter(voter=resident).count() == 1


def test_closing_waits_for_the_votes_in_flight():
    """Votes racing the close are either in the frozen result or refused: never accepted and left out."""
    poll, question, options = poll_with()
    voters = [ResidentFactory() for _ in range(6)]
    organiser_close = lambda: services.poll_close(actor=None, poll=poll)  # noqa: E731
    from django.utils import timezone

    from krai.participation.models import Poll

    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() + timezone.timedelta(milliseconds=300))
    import time

    def vote(voter):
        def call():
            time.sleep(0.25)
            return services.poll_vote(actor=voter, poll=poll, answers={question.pk: options[0].pk})
        return call

    def close():
        time.sleep(0.35)
        return organiser_close()

    outcomes = at_once(close, *(vote(v) for v in voters))
    poll.refresh_from_db()
    accepted = Ballot.objects.filter(poll=poll).count()
    assert poll.result.ballots == accepted
    assert sum(isinstance(o, Ballot) for o in outcomes) == accepted
    assert services.poll_verify(poll=poll)
