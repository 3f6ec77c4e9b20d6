"""Construction's pages: the illegal part (filled by its owner)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
