"""Permissions of the draft: who comments on a provision, who proposes an amendment, who edits the text and
decides on amendments (``policy.is_editor``), who hides a comment (coordinators).

Services check the stage too (with a clear message); these predicates say it as well, so a page hides a form
that would only be refused."""

from __future__ import annotations

from typing import Any

import rules

from krai.lawmaking import policy
from krai.lawmaking.models import Initiative, Stage
from krai.org.rules import is_confirmed_resident


@rules.predicate
def _sees(user: Any, initiative: Initiative | None) -> bool:
    return initiative is not None and policy.may_see(user, initiative)


@rules.predicate
def _annotation_stage(user: Any, initiative: Initiative | None) -> bool:
    return initiative is not None and initiative.stage in (Stage.ELABORATION, Stage.EXPERTISE)


@rules.predicate
def _elaboration(user: Any, initiative: Initiative | None) -> bool:
    return initiative is not None and initiative.stage == Stage.ELABORATION


@rules.predicate
def _editor(user: Any, initiative: Initiative | None) -> bool:
    return initiative is not None and policy.is_editor(user, initiative)


@rules.predicate
def _coordinator(user: Any, obj: Any = None) -> bool:
    return policy.is_coordinator(user)


rules.add_perm("lawmaking.annotate_draft", _sees & _annotation_stage & is_confirmed_resident)
rules.add_perm("lawmaking.amend_draft", _sees & _elaboration & is_confirmed_resident)
rules.add_perm("lawmaking.edit_draft", _sees & _elaboration & _editor)
rules.add_perm("lawmaking.decide_amendment", _sees & _editor)
rules.add_perm("lawmaking.hide_annotation", _coordinator)
