"""Who may do what with target indicators (every read is scoped by ``krai.org.scopes`` besides).

* view — staff of the region's bodies (the selectors narrow to their scope);
* manage (create indicators, set plans, schedule reports) — administrators, controllers, and heads of the
  owner organisation (within their scope);
* submit a report — heads and executors of the reporting organisation (its subtree), administrators;
* open an order from a deviation — the governor, vice-governors, controllers and heads within their scope.
"""

import rules

from krai.org.rules import (
    is_administrator,
    is_controller,
    is_executor,
    is_governor,
    is_head,
    is_staff_member,
    is_vice_governor,
    organisation_in_scope,
)
from krai.org.scopes import scope_for


@rules.predicate
def reporting_organisation_in_scope(user, report) -> bool:
    return report is not None and organisation_in_scope(user, report.organisation)


@rules.predicate
def works_in_reporting_organisation(user, report) -> bool:
    """A unit's executor under the reporting body fills its report in too."""
    return report is not None and any(p.startswith(report.organisation.path) for p in scope_for(user).org_paths)


@rules.predicate
def owner_in_scope(user, indicator) -> bool:
    return indicator is not None and organisation_in_scope(user, indicator.owner_organisation)


rules.add_perm("indicators.view", is_staff_member)
rules.add_perm("indicators.manage", is_staff_member & (is_administrator | is_controller
                                                       | (is_head & organisation_in_scope)))
rules.add_perm("indicators.submit_report", is_staff_member & (is_administrator | (
    (is_head | is_executor) & (reporting_organisation_in_scope | works_in_reporting_organisation))))
rules.add_perm("indicators.open_order", is_staff_member & (is_administrator | is_controller | is_governor | (
    (is_vice_governor | is_head) & owner_in_scope)))
