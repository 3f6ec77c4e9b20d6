"""Construction's pages: the works part (filled by its owner)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
