"""Permissions of the expertise and the reaction (the services check the same through ``policy``):
``lawmaking.start_expertise``, ``lawmaking.invite_expert``, ``lawmaking.review_initiative``,
``lawmaking.hide_review``, ``lawmaking.request_reaction``, ``lawmaking.give_reaction``."""

from __future__ import annotations

from typing import Any

import rules

from krai.lawmaking import policy
from krai.lawmaking.models import Stage


@rules.predicate
def _manages(user: Any, initiative: Any) -> bool:
    return initiative is not None and policy.manages(user, initiative)


@rules.predicate
def _at_elaboration(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.stage == Stage.ELABORATION


@rules.predicate
def _at_expertise(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.stage == Stage.EXPERTISE


@rules.predicate
def _at_reaction(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.stage == Stage.REACTION


@rules.predicate
def _may_review(user: Any, initiative: Any) -> bool:
    from krai.lawmaking.selectors.expertise import may_review

    return initiative is not None and may_review(user, initiative)


@rules.predicate
def _coordinator(user: Any, obj: Any = None) -> bool:
    return policy.is_coordinator(user)


@rules.predicate
def _of_responsible_body(user: Any, initiative: Any) -> bool:
    return initiative is not None and policy.of_responsible_body(user, initiative)


rules.add_perm("lawmaking.start_expertise", _manages & _at_elaboration)
rules.add_perm("lawmaking.invite_expert", _manages & _at_expertise)
rules.add_perm("lawmaking.review_initiative", _may_review)
rules.add_perm("lawmaking.hide_review", _coordinator)
rules.add_perm("lawmaking.request_reaction", _manages & _at_expertise)
rules.add_perm("lawmaking.give_reaction", _of_responsible_body & _at_reaction)
