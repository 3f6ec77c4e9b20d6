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
rules.add_perm("core.view_all_imports", is_administrator | is_controller)


# --- residence verification ---------------------------------------------------------------------------
# Who checks a resident's document: administrators anywhere; the Department of Control (controllers) and the
# municipality's administration (heads acting for a municipality, e.g. its mayor) within the municipalities
# their scope covers. Heads of departments do not: a residence is the municipality's business.

def _checks_residence_in(user, municipality_id: int | None) -> bool:
    scope = scope_for(user)
    if not scope.has_role(Role.CONTROLLER, Role.HEAD):
        return False
    if municipality_id is None:
        return scope.region or bool(scope.municipality_ids)
    return scope.region or municipality_id in scope.municipality_ids


@rules.predicate
def may_review_residences(user) -> bool:
    """Whether the verification queue has anything for ``user`` at all (the page and its menu link)."""
    return _checks_residence_in(user, None)


@rules.predicate
def checks_residence_of(user, request) -> bool:
    return request is not None and _checks_residence_in(user, request.municipality_id)


@rules.predicate
def owns_residence_request(user, request) -> bool:
    return request is not None and user.is_authenticated and request.user_id == user.pk


@rules.predicate
def is_pending(user, request) -> bool:
    return request is not None and request.status == "pending"


_verifier = is_staff_member & (is_administrator | checks_residence_of)
rules.add_perm("org.review_residences", is_staff_member & (is_administrator | may_review_residences))
rules.add_perm("org.verify_residencerequest", _verifier)
rules.add_perm("org.view_residencerequest", owns_residence_request | _verifier)
# the resident adds his document while the request waits; staff never add files to it
rules.add_perm("org.attach_residencerequest", owns_residence_request & is_pending)
rules.add_perm("org.change_residencerequest", rules.always_deny)
