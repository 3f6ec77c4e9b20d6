"""The reports' pages: the workspace's (/workspace/reports/) and the portal's published editions (/reports/)."""

from krai.reports import views, views_portal

app_name = "reports"

urlpatterns = [*views.urlpatterns, *views_portal.urlpatterns]
