"""API routes of the kernel, mounted under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("krai.core.notifications.api")),
    path("", include("krai.core.comments.api")),
    path("", include("krai.core.files.api")),
    path("", include("krai.core.search.api")),
    path("", include("krai.core.workcalendar.api")),
    path("", include("krai.core.audit.api")),
    path("", include("krai.core.imports.api")),
]
