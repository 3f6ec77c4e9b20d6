"""Pages of the kernel's audit."""

from django.urls import path

from krai.core.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
]
