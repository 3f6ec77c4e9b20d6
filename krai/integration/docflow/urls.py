"""Document flow: pages under /workspace/integration/docflow/."""

from django.urls import path, re_path

from krai.integration.docflow import views, views_channels

app_name = "docflow"

urlpatterns = [
    path("workspace/integration/docflow/", views.home, name="home"),
    path("workspace/integration/docflow/upload/", views.upload, name="upload"),
    path("workspace/integration/docflow/packages/<int:pk>/", views.package, name="package"),
    path("workspace/integration/docflow/answers/<int:pk>/retry/", views.retry, name="answer_retry"),
    re_path(r"^workspace/integration/docflow/orders\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("workspace/integration/docflow/channels/", views_channels.channels, name="channels"),
    path("workspace/integration/docflow/channels/<int:pk>/", views_channels.channel, name="channel"),
]
