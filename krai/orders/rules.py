"""Who may do what with assignments and orders; the same names guard pages, API and services.

The two sides of an assignment:

* **the executor side** — the named executor, or a head whose organisation (or municipality) covers the
  executor organisation: takes it into work, delegates it down, reports, asks for an extension;
* **the issuer side** — the person who gave it; for a delegated assignment also whoever acts for the
  parent's executor (reports go up the chain); accepts or returns the report, grants or refuses an
  extension, reassigns, cancels.

Above them: a controller (the Department of Control, region-wide) may remove a top assignment from
control or return it; the governor may extend, reassign and cancel any top assignment; a vice-governor
may extend and reassign the top assignments of his block. Who may see an assignment is its scope (see
``selectors.assignments_visible_to``); acting on one always requires seeing it.
"""

from __future__ import annotations

import rules

from krai.orders.models import Report
from krai.org.models import Role, RoleAssignment, ScopeKind
from krai.org.selectors import (
    is_administrator,
    is_controller,
    is_governor,
    is_head,
    is_staff_member,
    is_vice_governor,
    scope_for,
)


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def head_reach(user) -> tuple[tuple[str, ...], frozenset[int]]:
    """Organisation paths and municipality ids that ``user`` heads (memoised on the user for the request)."""
    cached = getattr(user, "_krai_orders_heads", None)
    if cached is not None:
        return cached
    paths: set[str] = set()
    municipalities: set[int] = set()
    if user.is_staff:
        for scope, path, municipality_id in (RoleAssignment.objects.filter(user=user, role=Role.HEAD)
                                             .values_list("scope", "organisation__path", "municipality_id")):
            if scope == ScopeKind.ORGANISATION and path:
                paths.add(path)
            elif scope == ScopeKind.MUNICIPALITY and municipality_id:
                municipalities.add(municipality_id)
    user._krai_orders_heads = (tuple(paths), frozenset(municipalities))
    return user._krai_orders_heads


def heads_organisation(user, organisation) -> bool:
    if not _active(user) or organisation is None:
        return False
    paths, municipalities = head_reach(user)
    return any(organisation.path.startswith(p) for p in paths) or (
        organisation.municipality_id is not None and organisation.municipality_id in municipalities)


def acts_for_executor(user, assignment) -> bool:
    if not _active(user) or assignment is None or not user.is_staff:
        return False
    if assignment.executor_user_id == user.pk:
        return True
    return heads_organisation(user, assignment.executor_organisation)


def acts_for_issuer(user, assignment) -> bool:
    if not _active(user) or assignment is None or not user.is_staff:
        return False
    if assignment.issuer_id == user.pk:
        return True
    return assignment.parent_id is not None and acts_for_executor(user, assignment.parent)


def sees(user, assignment) -> bool:
    """Whether ``user`` may see ``assignment`` (the object-level twin of ``assignments_visible_to``)."""
    if not _active(user) or assignment is None:
        return False
    from krai.orders.selectors import assignments_visible_to  # the one definition of visibility

    return assignments_visible_to(user).filter(pk=assignment.pk).exists()


@rules.predicate
def can_see(user, assignment) -> bool:
    return sees(user, assignment)


@rules.predicate
def executor_side(user, assignment) -> bool:
    return acts_for_executor(user, assignment)


@rules.predicate
def issuer_side(user, assignment) -> bool:
    return acts_for_issuer(user, assignment)


@rules.predicate
def is_top(user, assignment) -> bool:
    return assignment is not None and assignment.parent_id is None


@rules.predicate
def vice_governor_of_block(user, assignment) -> bool:
    return (assignment is not None and assignment.block_id is not None
            and assignment.block_id in scope_for(user).block_ids and scope_for(user).has_role(Role.VICE_GOVERNOR))


@rules.predicate
def may_give_to(user, organisation) -> bool:
    """Whether ``user`` may put ``organisation`` under control (open an assignment or issue an order to it)."""
    if not _active(user) or organisation is None or not user.is_staff:
        return False
    scope = scope_for(user)
    if scope.has_role(Role.GOVERNOR, Role.CONTROLLER, Role.ADMINISTRATOR) or user.is_superuser:
        return True
    if scope.has_role(Role.VICE_GOVERNOR) and organisation.block_id in scope.block_ids:
        return True
    return heads_organisation(user, organisation)


@rules.predicate
def order_visible(user, order) -> bool:
    if not _active(user) or order is None:
        return False
    if order.issuer_id == user.pk:
        return True
    if order.assignment_id is None:
        return False
    from krai.orders.selectors import assignments_visible_to

    return assignments_visible_to(user).filter(root_id=order.assignment_id).exists()


@rules.predicate
def order_issuer(user, order) -> bool:
    return order is not None and _active(user) and order.issuer_id == user.pk


@rules.predicate
def order_is_draft(user, order) -> bool:
    return order is not None and order.is_draft


@rules.predicate
def order_executor(user, order) -> bool:
    return order is not None and order.assignment_id is not None and acts_for_executor(user, order.assignment)


@rules.predicate
def sees_report(user, report) -> bool:
    """A report (and so its photos) is seen by whoever sees its assignment."""
    return report is not None and sees(user, report.assignment)


@rules.predicate
def report_author_while_pending(user, report) -> bool:
    """Photos go on a report by its author while it waits for the decision (``control_report`` attaches them)."""
    return (report is not None and _active(user) and report.author_id == user.pk
            and report.decision == Report.Decision.PENDING)


gives_orders = is_staff_member & (is_administrator | is_governor | is_vice_governor | is_controller | is_head)

rules.add_perm("orders.view_assignment", can_see)
rules.add_perm("orders.open_assignment", is_staff_member & may_give_to)
rules.add_perm("orders.delegate_assignment", can_see & executor_side)
rules.add_perm("orders.start_assignment", can_see & executor_side)
rules.add_perm("orders.report_assignment", can_see & executor_side)
rules.add_perm("orders.request_extension_assignment", can_see & executor_side)
rules.add_perm("orders.accept_assignment", can_see & (issuer_side | (is_top & is_controller)))
rules.add_perm("orders.return_assignment", can_see & (issuer_side | (is_top & is_controller)))
rules.add_perm("orders.extend_assignment",
               can_see & (issuer_side | (is_top & (is_governor | vice_governor_of_block))))
rules.add_perm("orders.reassign_assignment",
               can_see & (issuer_side | (is_top & (is_governor | vice_governor_of_block))))
rules.add_perm("orders.cancel_assignment", can_see & (issuer_side | (is_top & is_governor)))

rules.add_perm("orders.view_report", sees_report)
rules.add_perm("orders.attach_report", sees_report & report_author_while_pending)

rules.add_perm("orders.add_order", gives_orders)
rules.add_perm("orders.view_order", order_visible)
rules.add_perm("orders.change_order", order_issuer & order_is_draft)
rules.add_perm("orders.issue_order", order_issuer & order_is_draft)
rules.add_perm("orders.attach_order", order_visible & (order_issuer | order_executor))
rules.add_perm("orders.view_dashboard", is_staff_member & (is_administrator | is_governor | is_vice_governor
                                                          | is_controller | is_head))
