"""Law-making's permissions (django-rules), one module per part; importing this package registers them all.

Comments on an initiative use the kernel's hooks ``lawmaking.comment_initiative`` and
``lawmaking.moderate_initiative`` (``krai/core/comments/rules.py``).
"""

import rules

from krai.lawmaking import policy
from krai.org.rules import is_confirmed_resident, is_staff_member


@rules.predicate
def _may_see(user, initiative) -> bool:
    return initiative is not None and policy.may_see(user, initiative)


@rules.predicate
def _open_for_comments(user, initiative) -> bool:
    return initiative is not None and policy.open_for_discussion(initiative)


@rules.predicate
def _coordinator(user) -> bool:
    return policy.is_coordinator(user)


@rules.predicate
def _coordinates(user, initiative) -> bool:
    return initiative is not None and policy.is_coordinator(user)


rules.add_perm("lawmaking.view_initiative", _may_see)
rules.add_perm("lawmaking.comment_initiative", _may_see & _open_for_comments & is_confirmed_resident)
rules.add_perm("lawmaking.moderate_initiative", _coordinates)
rules.add_perm("lawmaking.coordinate", _coordinator)
rules.add_perm("lawmaking.access_workspace", is_staff_member)

from krai.lawmaking.rules import discussion, drafts, expertise, initiatives  # noqa: E402,F401 — they register
