"""Webhooks' pages under /workspace/integration/webhooks/ (``views``)."""

from krai.integration.webhooks.views import urlpatterns  # noqa: F401 — this module is the URL conf

app_name = "webhooks"
