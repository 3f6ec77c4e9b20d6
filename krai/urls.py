"""The composition root: every area's pages and API mounted in one place."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from krai.core import pwa
from krai.core.metrics import metrics_view
from krai.core.views import healthz

admin.site.site_header = _("Krai administration")
admin.site.site_title = _("Krai")

api_v1 = [
    path("", include("krai.org.api")),
    path("", include("krai.accounts.api")),
    path("", include("krai.orders.api")),
    path("", include("krai.problems.api")),
    path("", include("krai.participation.api")),
    path("", include("krai.opendata.api")),
    path("", include("krai.monitoring.api")),
    path("", include("krai.projects.api")),
    path("", include("krai.social.api")),
    path("", include("krai.lawmaking.api")),
    path("", include("krai.construction.api")),
    path("", include("krai.integration.api")),
    path("", include("krai.integration.webhooks.api")),
    path("", include("krai.integration.docflow.api")),
    path("", include("krai.integration.consolidation.api")),
    path("", include("krai.administration.api")),
    path("", include("krai.planner.api")),
    path("", include("krai.reports.api")),
    path("", include("krai.portal.api")),
    path("", include("krai.core.api_urls")),
]

urlpatterns = [
    path("", include("krai.portal.urls")),
    path("workspace/", include("krai.workspace.urls")),
    path("accounts/", include("krai.accounts.urls")),
    path("notifications/", include("krai.core.notifications.urls")),
    path("comments/", include("krai.core.comments.urls")),
    path("files/", include("krai.core.files.urls")),
    path("search/", include("krai.core.search.urls")),
    path("workspace/calendar/", include("krai.core.workcalendar.urls")),
    path("workspace/audit/", include("krai.core.audit.urls")),
    path("workspace/imports/", include("krai.core.imports.urls")),
    # areas own their full paths (pages, and standard facades such as /open311/ or /api/3/action/)
    path("", include("krai.orders.urls")),
    path("", include("krai.problems.urls")),
    path("", include("krai.participation.urls")),
    path("", include("krai.opendata.urls")),
    path("", include("krai.monitoring.urls")),
    path("", include("krai.projects.urls")),
    path("", include("krai.social.urls")),
    path("", include("krai.lawmaking.urls")),
    path("", include("krai.construction.urls")),
    path("", include("krai.integration.urls")),
    path("", include("krai.integration.webhooks.urls")),
    path("", include("krai.integration.docflow.urls")),
    path("", include("krai.integration.consolidation.urls")),
    path("", include("krai.administration.urls")),
    path("", include("krai.planner.urls")),
    path("", include("krai.reports.urls")),
    # the admin logs in through accounts' form: the second factor and the lock-out apply there too
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its start-up script as a file, so the page runs under a CSP without inline scripts
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("", include(pwa.urlpatterns)),
    path("metrics", metrics_view, name="metrics"),
]

# Media are never served as plain files: attachments go through /files/<id>/, which checks the reader.
