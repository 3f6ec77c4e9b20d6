"""The workspace's sections. Areas built later (orders…) appear once their URL name resolves."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_names: tuple[str, ...]
    perm: str | None = None  # a django-rules permission the user must hold to see the link
    superuser: bool = False
    exact: bool = False  # the link is current only on its own page, not below it
    more: bool = False  # shown under "More" so that the bar fits a 1280 px screen

    @property
    def url(self) -> str:
        for name in self.url_names:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        return ""

    def visible_to(self, user) -> bool:
        if self.superuser and not (user.is_staff and user.is_superuser):
            return False
        return self.perm is None or user.has_perm(self.perm)


SECTIONS: tuple[Section, ...] = (
    Section("dashboard", _("Dashboard"), ("workspace:home",), exact=True),
    Section("planner", _("Planner"), ("planner:home",), perm="planner.use", more=True),
    Section("today", _("My day"), ("planner:today",), perm="planner.use", more=True),
    Section("reports", _("Periodic reports"), ("reports:home",), perm="reports.use", more=True),
    Section("orders", _("Orders"), ("orders:list", "orders:index", "orders:home")),
    Section("problems", _("Problems"), ("problems:workspace",), perm="problems.access_workspace"),
    Section("participation", _("Participation"), ("participation:ws_home",), perm="participation.access_workspace"),
    Section("opendata", _("Open data"), ("opendata:workspace",), perm="opendata.access_workspace", more=True),
    Section("monitoring", _("Monitoring"), ("monitoring:home",), perm="monitoring.access"),
    Section("projects", _("Projects"), ("projects:home",), perm="projects.view"),
    Section("structure", _("Structure"), ("workspace:structure",)),
    Section("lawmaking", _("Law-making"), ("lawmaking:workspace",), perm="lawmaking.view_queue", more=True),
    Section("construction", _("Construction"), ("construction:workspace",), perm="construction.access_workspace",
            more=True),
    Section("integration", _("Integration"), ("integration:home",), perm="integration.access", more=True),
    Section("access", _("Access"), ("administration:home",), perm="administration.review_access", more=True),
    Section("deputies", _("Deputies"), ("administration:deputies",), perm="administration.manage_deputies",
            more=True),
    Section("efficiency", _("Efficiency"), ("administration:efficiency",), perm="administration.view_efficiency",
            more=True),
    Section("residence", _("Residence verification"), ("accounts:residence-queue",), perm="org.review_residences",
            more=True),
    Section("community", _("Community moderation"), ("social:moderation",), perm="social.moderate", more=True),
    Section("experts", _("Expert verification"), ("social:experts_queue",), perm="social.verify_credentials",
            more=True),
    Section("calendar", _("Calendar"), ("workcalendar:index", "workcalendar:home", "workcalendar:calendar",
                                         "workcalendar:year"), more=True),
    Section("imports", _("Imports"), ("imports:index",), perm="workspace.access", more=True),
    Section("audit", _("Audit"), ("audit:index", "audit:list", "audit:log", "audit:home"), perm="core.view_audit",
            more=True),
    Section("admin", _("Administration"), ("admin:index",), superuser=True, more=True),
)


def nav_sections(user) -> list[tuple[Section, str]]:
    """The sections ``user`` may open that exist, with their URLs."""
    return [(section, url) for section in SECTIONS if (url := section.url) and section.visible_to(user)]
