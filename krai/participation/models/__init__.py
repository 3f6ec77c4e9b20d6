"""The participation area's tables (one module per part)."""

from krai.participation.models._immutable import ImmutableError
from krai.participation.models.ideas import Campaign, Idea, IdeaSupport
from krai.participation.models.polls import Answer, Ballot, Option, Participation, Poll, PollResult, Question
from krai.participation.models.priorities import Priority, PriorityVote, RankBuild, RankEntry, RankSnapshot
from krai.participation.models.ratings import GovService, ServiceRank, ServiceRankBuild, ServiceRating
from krai.participation.models.suggestions import Suggestion

__all__ = [
    "Answer", "Ballot", "Campaign", "GovService", "Idea", "IdeaSupport", "ImmutableError", "Option",
    "Participation", "Poll", "PollResult", "Priority", "PriorityVote", "Question", "RankBuild", "RankEntry",
    "RankSnapshot", "ServiceRank", "ServiceRankBuild", "ServiceRating", "Suggestion",
]
