"""The key permissions of every area, grouped as the workspace's sections are, with readable labels: what the review
of a person evaluates (``person.has_perm``) to say which sections he can open and what he may do there.

The section permissions mirror ``krai/workspace/navigation.py`` (not imported: the workspace is a higher layer); a
permission not registered in this installation (an area left out) is skipped rather than shown as refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rules.permissions import perm_exists


@dataclass(frozen=True)
class KeyPermission:
    name: str
    label: str | Promise


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    permissions: tuple[KeyPermission, ...]


P = KeyPermission

AREAS: tuple[Area, ...] = (
    Area("workspace", _("Workspace"), (
        P("workspace.access", _("Opens the workspace")),
        P("org.view_organisation_internal", _("Sees the internals of organisations in his scope")),
    )),
    Area("orders", _("Orders"), (
        P("orders.add_order", _("Drafts orders")),
        P("orders.issue_order", _("Issues orders")),
        P("orders.view_dashboard", _("Sees the discipline dashboards")),
    )),
    Area("problems", _("Problems"), (
        P("problems.access_workspace", _("Opens the problems' workspace")),
        P("problems.manage_routing", _("Keeps the routing of problems")),
        P("problems.view_statistics", _("Sees the problems' statistics")),
    )),
    Area("participation", _("Participation"), (
        P("participation.access_workspace", _("Opens the participation workspace")),
        P("participation.add_poll", _("Starts polls")),
    )),
    Area("opendata", _("Open data"), (
        P("opendata.access_workspace", _("Opens the open data workspace")),
        P("opendata.add_dataset", _("Publishes datasets")),
    )),
    Area("monitoring", _("Monitoring"), (
        P("monitoring.access", _("Opens the monitoring")),
    )),
    Area("projects", _("Projects"), (
        P("projects.view", _("Opens priority projects")),
        P("projects.create_programme", _("Creates programmes")),
    )),
    Area("lawmaking", _("Law-making"), (
        P("lawmaking.view_queue", _("Opens the law-making queue")),
        P("lawmaking.moderate_initiative", _("Moderates initiatives")),
    )),
    Area("construction", _("Construction"), (
        P("construction.access_workspace", _("Opens the construction workspace")),
        P("construction.keep_registry", _("Keeps the construction registries")),
    )),
    Area("integration", _("Integration"), (
        P("integration.access", _("Opens the integration section")),
        P("integration.manage_systems", _("Registers external systems")),
        P("integration.manage_webhooks", _("Manages webhooks")),
    )),
    Area("administration", _("Administration"), (
        P("administration.review_access", _("Reviews who can see what")),
        P("administration.manage_access", _("Changes people's roles and scopes")),
        P("administration.manage_deputies", _("Appoints temporary deputies")),
        P("administration.view_efficiency", _("Sees employees' efficiency")),
        P("org.manage_users", _("Manages accounts, posts and roles")),
        P("org.change_structure", _("Changes the organisation structure")),
    )),
    Area("community", _("Residents and community"), (
        P("org.review_residences", _("Verifies residents' residence")),
        P("social.moderate", _("Moderates the community")),
        P("social.verify_credentials", _("Verifies experts' credentials")),
    )),
    Area("audit", _("Audit"), (
        P("core.view_audit", _("Reads the audit trail")),
        P("core.view_all_imports", _("Sees every import")),
    )),
)


@dataclass(frozen=True)
class Granted:
    area: Area
    permission: KeyPermission
    allowed: bool


def evaluate(person) -> list[Granted]:
    """Every key permission of every area as ``person`` holds it now (his roles and scopes, his staff flag)."""
    return [Granted(area, permission, bool(person.has_perm(permission.name)))
            for area in AREAS for permission in area.permissions if perm_exists(permission.name)]
