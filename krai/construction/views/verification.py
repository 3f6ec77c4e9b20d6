"""Construction's pages: the verification part (filled by its owner)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
