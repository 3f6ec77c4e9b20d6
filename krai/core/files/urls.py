"""Pages of the kernel's files: downloads through the permission check, and the upload form's target."""

from django.urls import path

from krai.core.files import views

app_name = "files"

urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.download, name="download"),
]
