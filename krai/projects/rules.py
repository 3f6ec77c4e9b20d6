"""Who may do what with programmes and projects (every read is scoped by ``krai.org.scopes`` besides).

* view — staff of the region's bodies; the selectors narrow to projects owned in their scope, projects they
  manage or curate, and projects with an item of an organisation in their scope (an executor sees the project
  his task belongs to);
* manage programmes (create, change, add projects) — administrators, controllers, the governor, and
  vice-governors and heads within the owner organisation's scope;
* edit a project's plan (items, dates, dependencies, baselines, risks, reports, import) — its manager,
  administrators, controllers, and heads within the owner organisation's scope;
* report on an item (progress, actual dates, spent) — the plan's editors, the responsible person, and heads
  and executors of the item's organisation.
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


@rules.predicate
def owner_in_scope(user, obj) -> bool:
    return obj is not None and organisation_in_scope(user, obj.owner_organisation)


@rules.predicate
def manages_project(user, project) -> bool:
    return project is not None and user.is_authenticated and project.manager_id == user.pk


@rules.predicate
def item_organisation_in_scope(user, item) -> bool:
    return item is not None and item.owner_organisation_id is not None and organisation_in_scope(
        user, item.owner_organisation)


@rules.predicate
def responsible_for_item(user, item) -> bool:
    return item is not None and user.is_authenticated and item.responsible_id == user.pk


@rules.predicate
def may_edit_items_project(user, item) -> bool:
    return item is not None and user.has_perm("projects.edit_project", item.project)


rules.add_perm("projects.view", is_staff_member)
rules.add_perm("projects.manage_programme", is_staff_member & (
    is_administrator | is_controller | is_governor | ((is_vice_governor | is_head) & owner_in_scope)))
rules.add_perm("projects.create_programme", is_staff_member & (
    is_administrator | is_controller | is_governor | is_vice_governor | is_head))
rules.add_perm("projects.edit_project", is_staff_member & (
    is_administrator | is_controller | manages_project | (is_head & owner_in_scope)))
rules.add_perm("projects.report_item", is_staff_member & (
    may_edit_items_project | responsible_for_item | ((is_head | is_executor) & item_organisation_in_scope)))
