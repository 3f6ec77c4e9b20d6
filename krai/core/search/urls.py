"""Pages of the kernel's search."""

from django.urls import path

from krai.core.search import views

app_name = "search"

urlpatterns = [
    path("", views.index, name="index"),
]
