"""Permissions of the initiatives part: proposing, changing a concept, moderating it, managing an initiative
(the staff's stage moves, stopping, naming the editor) and the workspace's queue."""

import rules

from krai.lawmaking import policy
from krai.lawmaking.models import Stage
from krai.org.rules import is_confirmed_resident


@rules.predicate
def _own_concept(user, initiative) -> bool:
    return (initiative is not None and policy.is_active_user(user) and initiative.initiator_id == user.pk
            and initiative.stage == Stage.CONCEPT)


@rules.predicate
def _concept_to_moderate(user, initiative) -> bool:
    return initiative is not None and initiative.stage == Stage.CONCEPT and policy.is_coordinator(user)


@rules.predicate
def _manages_open(user, initiative) -> bool:
    return initiative is not None and initiative.is_open and policy.manages(user, initiative)


@rules.predicate
def _has_queue(user) -> bool:
    return policy.is_coordinator(user) or bool(policy.is_active_user(user) and user.is_staff)


rules.add_perm("lawmaking.add_initiative", is_confirmed_resident)
rules.add_perm("lawmaking.change_initiative_concept", _own_concept)
rules.add_perm("lawmaking.approve_initiative", _concept_to_moderate)
rules.add_perm("lawmaking.manage_initiative", _manages_open)
rules.add_perm("lawmaking.view_queue", _has_queue)
