"""The problems area's part of erasing a person (``krai.core.privacy``): his reports, his Open311 requests.

Reports stay — they were published, answered and counted — but without him: every text he wrote loses
his names, e-mail, phone and any other personal data, an Open311 request loses its reporter fields, the
bodies' answers and the moderators' notes lose the mentions of him, and his subscriptions go. His
endorsements stay (the count is the residents' voice), linked to the nameless account row.
"""

from __future__ import annotations

from django.db.models import Q

from krai.core.privacy import Erasure
from krai.problems.models import Problem, ProblemRating, ProblemUpdate, Subscription


def problems_erase_person(erasure: Erasure) -> None:
    """Anonymise the reports ``erasure``'s person wrote or sent through Open311 (inside the caller's transaction)."""
    mine = Q(author_id=erasure.user_id)
    if erasure.email:
        mine |= Q(source=Problem.Source.OPEN311, reporter_email__iexact=erasure.email)
    problems = list(Problem.objects.filter(mine).only(
        "pk", "author_id", "source", "description", "public_description", "address", "rating_comment",
        "answer_text", "moderation_reason", "programme", "reporter_name", "reporter_email"))
    for problem in problems:
        # filter().update(): no save() signals, no updated_at bump — the report did not change its course
        Problem.objects.filter(pk=problem.pk).update(
            description=erasure.scrub(problem.description) or "—",
            public_description=erasure.scrub(problem.public_description) or "—",
            address=erasure.scrub(problem.address)[:300], rating_comment=erasure.scrub(problem.rating_comment),
            answer_text=erasure.scrub_mentions(problem.answer_text),
            moderation_reason=erasure.scrub_mentions(problem.moderation_reason),
            reporter_name="", reporter_email="")
        erasure.touch(problem)
    ids = [problem.pk for problem in problems]
    for update in ProblemUpdate.objects.filter(Q(problem_id__in=ids) | Q(actor_id=erasure.user_id)).exclude(text=""):
        own = update.actor_id == erasure.user_id or update.kind in ProblemUpdate.RESIDENT_KINDS
        text = erasure.scrub(update.text) if own else erasure.scrub_mentions(update.text)
        if text != update.text:
            ProblemUpdate.objects.filter(pk=update.pk).update(text=text)
    # his ratings stay (the result was rated), his words in them lose his personal data
    for rating in ProblemRating.objects.filter(user_id=erasure.user_id).exclude(comment=""):
        ProblemRating.objects.filter(pk=rating.pk).update(comment=erasure.scrub(rating.comment))
    Subscription.objects.filter(user_id=erasure.user_id).delete()
    erasure.count("problems", len(ids))
