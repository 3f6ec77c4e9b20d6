"""Webhooks: API under /api/v1/integration/ (written by its part of issue 20)."""

urlpatterns: list = []
