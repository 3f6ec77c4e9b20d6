"""Pages of monitoring: the overview and each monitor's pages under /workspace/monitoring/."""

from django.urls import include, path

from krai.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("workspace/monitoring/", views.home, name="home"),
    path("workspace/monitoring/rankings/", include("krai.monitoring.rankings.urls")),
    path("workspace/monitoring/indicators/", include("krai.monitoring.indicators.urls")),
    path("workspace/monitoring/staffing/", include("krai.monitoring.staffing.urls")),
    path("workspace/monitoring/lawsuits/", include("krai.monitoring.lawsuits.urls")),
    path("workspace/monitoring/media/", include("krai.monitoring.media.urls")),
]
