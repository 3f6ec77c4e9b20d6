"""Every write of the participation area: one function per use case, keyword-only, atomic, permission-checked,
recorded as a domain event (``participation.<what_happened>``) in the same transaction.

Refusals about who acts raise ``PermissionDenied`` with a message that says what is missing (sign in,
confirm the e-mail, verify the residence); refusals about the input or the moment (a second vote, a
closed poll, a mark of 6) raise ``ValidationError``. Either way nothing is written.
"""

from krai.participation.services.erasure import participation_erase_person
from krai.participation.services.ideas import (
    campaign_create,
    campaign_update,
    idea_answer,
    idea_moderate,
    idea_suggest,
    idea_support,
    idea_to_order,
    idea_unsupport,
)
from krai.participation.services.polls import (
    clean_answers,
    poll_close,
    poll_close_due,
    poll_create,
    poll_publish,
    poll_update,
    poll_verify,
    poll_vote,
)
from krai.participation.services.priorities import (
    priority_create,
    priority_unvote,
    priority_update,
    priority_vote,
    rank_build,
    rank_build_due,
)
from krai.participation.services.ratings import (
    service_create,
    service_ranks_build,
    service_ranks_build_due,
    service_rate,
    service_update,
)
from krai.participation.services.suggestions import suggestion_answer, suggestion_create

__all__ = [
    "campaign_create",
    "campaign_update",
    "clean_answers",
    "idea_answer",
    "idea_moderate",
    "idea_suggest",
    "idea_support",
    "idea_to_order",
    "idea_unsupport",
    "participation_erase_person",
    "poll_close",
    "poll_close_due",
    "poll_create",
    "poll_publish",
    "poll_update",
    "poll_verify",
    "poll_vote",
    "priority_create",
    "priority_unvote",
    "priority_update",
    "priority_vote",
    "rank_build",
    "rank_build_due",
    "service_create",
    "service_ranks_build",
    "service_ranks_build_due",
    "service_rate",
    "service_update",
    "suggestion_answer",
    "suggestion_create",
]
