"""The participation area's part of erasing a person (``krai.core.privacy``).

His ideas stay (supported, answered, perhaps ordered) without his names, e-mail, phone or other personal
data in them; his service ratings and priority votes lose the link to him; his open polls' ballots lose
the voter and the voter key (an HMAC of his account id, which could be recomputed). Every vote and mark
still counts: ballots, answers, ``Participation`` rows (the turnout), priority votes and ratings stay, so
ranks, tallies and the frozen checksums (made of ballot and vote ids, never of voters) do not move.
"""

from __future__ import annotations

import secrets

from krai.core.privacy import Erasure
from krai.participation.models import Answer, Ballot, Idea, Poll, PriorityVote, ServiceRating, Suggestion
from krai.participation.selectors.polls import voter_key


def participation_erase_person(erasure: Erasure) -> None:
    """Anonymise ``erasure``'s person's ideas, ratings and votes (inside the caller's transaction)."""
    ideas = list(Idea.objects.filter(author_id=erasure.user_id).only("pk", "title", "body", "answer",
                                                                     "moderation_reason"))
    for idea in ideas:
        Idea.objects.filter(pk=idea.pk).update(
            title=erasure.scrub(idea.title)[:200] or "—", body=erasure.scrub(idea.body) or "—",
            answer=erasure.scrub_mentions(idea.answer),
            moderation_reason=erasure.scrub_mentions(idea.moderation_reason))
        erasure.touch(idea)
    suggestions = list(Suggestion.objects.filter(author_id=erasure.user_id).only("pk", "title", "body", "answer"))
    for suggestion in suggestions:
        Suggestion.objects.filter(pk=suggestion.pk).update(
            title=erasure.scrub(suggestion.title)[:200] or "—", body=erasure.scrub(suggestion.body) or "—",
            answer=erasure.scrub_mentions(suggestion.answer))
        erasure.touch(suggestion)
    ratings = list(ServiceRating.objects.filter(user_id=erasure.user_id).only("pk", "comment"))
    for rating in ratings:
        ServiceRating.objects.filter(pk=rating.pk).update(user=None, comment=erasure.scrub(rating.comment))
        erasure.touch(rating)
    votes = PriorityVote.objects.filter(voter_id=erasure.user_id).update(voter=None)
    ballots = 0
    # a secret ballot has no voter, only the key: find his by recomputing it for the polls he took part in
    for poll in Poll.objects.filter(participations__user_id=erasure.user_id):
        for ballot in Ballot.objects.filter(poll=poll, voter_key=voter_key(poll, erasure.user_id)):
            Ballot.objects.filter(pk=ballot.pk).update(voter=None, voter_key=secrets.token_hex(32))
            if poll.status != Poll.Status.CLOSED:
                # a free answer is part of the frozen checksum once the poll is closed: scrub only before
                for answer in Answer.objects.filter(ballot=ballot).exclude(text=""):
                    Answer.objects.filter(pk=answer.pk).update(text=erasure.scrub(answer.text))
            ballots += 1
    erasure.count("participation", len(ideas) + len(suggestions) + len(ratings) + votes + ballots)
