"""Webhooks: pages under /workspace/integration/ (written by its part of issue 20)."""

app_name = "webhooks"

urlpatterns: list = []
