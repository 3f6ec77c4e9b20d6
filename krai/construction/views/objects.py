"""Construction's pages: the objects part (filled by its owner)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
