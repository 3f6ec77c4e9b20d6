"""Pages of the import kernel, under /workspace/imports/."""

from django.urls import path

from krai.core.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.record, name="record"),
    path("new/<str:kind>/", views.start, name="start"),
    path("new/<str:kind>/template.csv", views.template_csv, name="template"),
]
