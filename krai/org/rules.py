"""Predicates and permissions of the org area; the names are shared by pages, API and services.

Other areas build their rules from these predicates (``krai.org.rules.is_controller`` …) through
``krai.org.selectors``, which re-exports them.
"""

import rules

from krai.org.models import Role
from krai.org.scopes import scope_for


def _has(*roles: str):
    @rules.predicate(name=f"has_role_{'_'.join(roles)}")
    def predicate(user) -> bool:
        return scope_for(user).has_role(*roles)

    return predicate


is_authenticated = rules.is_authenticated
is_administrator = rules.is_superuser | _has(Role.ADMINISTRATOR)
is_controller = _has(Role.CONTROLLER)
is_governor = _has(Role.GOVERNOR)
is_vice_governor = _has(Role.VICE_GOVERNOR)
is_head = _has(Role.HEAD)
is_executor = _has(Role.EXECUTOR)
is_expert = _has(Role.EXPERT)


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_confirmed_resident(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.email_confirmed)


@rules.predicate
def organisation_in_scope(user, organisation) -> bool:
    return organisation is not None and scope_for(user).covers_organisation(organisation)


rules.add_perm("org.view_structure", rules.always_allow)  # the staffing structure is public
rules.add_perm("org.change_structure", is_administrator)
rules.add_perm("org.manage_users", is_administrator)
rules.add_perm("org.view_organisation_internal", is_administrator | is_controller | organisation_in_scope)
rules.add_perm("workspace.access", is_staff_member)
rules.add_perm("core.view_audit", is_administrator | is_controller)
