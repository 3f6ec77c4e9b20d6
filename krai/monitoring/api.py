"""API of monitoring, mounted under /api/v1/monitoring/: each monitor's routes."""

from django.urls import include, path

urlpatterns = [
    path("monitoring/", include("krai.monitoring.rankings.api")),
    path("monitoring/", include("krai.monitoring.indicators.api")),
    path("monitoring/", include("krai.monitoring.staffing.api")),
    path("monitoring/", include("krai.monitoring.lawsuits.api")),
    path("monitoring/", include("krai.monitoring.media.api")),
]
