"""Permissions of the idea discussion: support, questions and answers, subscriptions (pages show their buttons by
these; the services refuse the same cases with a message saying why)."""

import rules

from krai.lawmaking import policy
from krai.lawmaking.models import Stage
from krai.org.rules import is_confirmed_resident

#: stages in which the initiator asks the public and people answer (``services.discussion.QUESTION_STAGES``)
QUESTION_STAGES = (Stage.DISCUSSION, Stage.ELABORATION)


@rules.predicate
def _discussed(user, initiative) -> bool:
    return initiative is not None and initiative.stage == Stage.DISCUSSION and policy.may_see(user, initiative)


@rules.predicate
def _not_own(user, initiative) -> bool:
    return initiative is not None and initiative.initiator_id != user.pk


@rules.predicate
def _asker(user, initiative) -> bool:
    return (initiative is not None and policy.is_active_user(user)
            and user.pk in (initiative.initiator_id, initiative.editor_id)
            and initiative.stage in QUESTION_STAGES)


@rules.predicate
def _open_question(user, question) -> bool:
    return (question is not None and question.closed_at is None
            and question.initiative.stage in QUESTION_STAGES and policy.may_see(user, question.initiative))


@rules.predicate
def _closes(user, question) -> bool:
    if question is None or question.closed_at is not None:
        return False
    initiative = question.initiative
    return policy.is_coordinator(user) or (policy.is_active_user(user)
                                           and user.pk in (initiative.initiator_id, initiative.editor_id))


@rules.predicate
def _signed_in_sees(user, initiative) -> bool:
    return initiative is not None and policy.is_active_user(user) and policy.may_see(user, initiative)


@rules.predicate
def _coordinator(user, obj=None) -> bool:
    return policy.is_coordinator(user)


rules.add_perm("lawmaking.support_initiative", is_confirmed_resident & _discussed & _not_own)
rules.add_perm("lawmaking.ask_question", _asker)
rules.add_perm("lawmaking.close_question", _closes)
rules.add_perm("lawmaking.answer_question", is_confirmed_resident & _open_question)
rules.add_perm("lawmaking.hide_answer", _coordinator)
rules.add_perm("lawmaking.subscribe_initiative", _signed_in_sees)
