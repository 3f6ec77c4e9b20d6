"""API of priority projects and programmes, mounted under /api/v1/ by the composition root: everything lives
under /api/v1/projects/ — programmes, projects, and per project its items, dependencies, baselines, risks and
status reports. Writes made with a token need the scopes ``write`` and ``projects:write``."""

from django.urls import path

from krai.projects.api import baselines, items, links, notes, programmes, projects

P = "projects/projects/<slug:code>/"

urlpatterns = [
    path("projects/programmes/", programmes.Programmes.as_view(), name="projects-programmes"),
    path("projects/programmes/<slug:code>/", programmes.ProgrammeDetail.as_view(), name="projects-programme"),
    path("projects/projects/", projects.Projects.as_view(), name="projects-projects"),
    path(P, projects.ProjectDetail.as_view(), name="projects-project"),
    path(P + "items/", items.Items.as_view(), name="projects-items"),
    path(P + "items/<int:pk>/", items.ItemDetail.as_view(), name="projects-item"),
    path(P + "items/<int:pk>/dates/", items.ItemDates.as_view(), name="projects-item-dates"),
    path(P + "items/<int:pk>/progress/", items.ItemProgress.as_view(), name="projects-item-progress"),
    path(P + "dependencies/", links.Dependencies.as_view(), name="projects-dependencies"),
    path(P + "dependencies/<int:pk>/", links.DependencyDetail.as_view(), name="projects-dependency"),
    path(P + "baselines/", baselines.Baselines.as_view(), name="projects-baselines"),
    path(P + "baselines/<int:pk>/", baselines.BaselineDetail.as_view(), name="projects-baseline"),
    path(P + "baselines/<int:pk>/slippage/", baselines.Slippage.as_view(), name="projects-baseline-slippage"),
    path(P + "risks/", notes.Risks.as_view(), name="projects-risks"),
    path(P + "risks/<int:pk>/", notes.RiskDetail.as_view(), name="projects-risk"),
    path(P + "reports/", notes.Reports.as_view(), name="projects-reports"),
]
