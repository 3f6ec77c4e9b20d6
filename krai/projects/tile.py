"""Projects' tile on the monitoring overview: how many of the user's projects are on track, at risk, late —
counted exactly as the projects list counts them (``analysis.analyse_all``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.monitoring import tiles
from krai.projects import analysis, selectors
from krai.projects.models import Project


@tiles.register("projects", order=60)
def projects_tile(user) -> tiles.Tile | None:
    if not (user.has_perm("monitoring.access") and user.has_perm("projects.view")):
        return None
    projects = selectors.projects_for(user).exclude(status=Project.Status.CLOSED).select_related("programme")
    results = analysis.analyse_all(projects)
    if not results:
        return None
    counts = analysis.health_counts(results)
    url = reverse("projects:home")
    return tiles.Tile("projects", _("Priority projects"), url, figures=[
        tiles.Figure(_("On track"), counts["on_track"], "success", f"{url}?health=on_track"),
        tiles.Figure(_("At risk"), counts["at_risk"], "warning" if counts["at_risk"] else "", f"{url}?health=at_risk"),
        tiles.Figure(pgettext_lazy("project health", "Late"), counts["late"], "danger" if counts["late"] else "",
                     f"{url}?health=late"),
    ])
