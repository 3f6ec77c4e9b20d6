"""Integration's pages under /workspace/integration/: the section's start page, the registered systems and the
exchange log (this app), webhooks, document flow and consolidation (their apps mount their own pages)."""

from django.urls import path  # noqa: F401 — the parts add their paths

app_name = "integration"

urlpatterns: list = []
