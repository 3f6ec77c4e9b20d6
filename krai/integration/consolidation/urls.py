"""Consolidation: pages under /workspace/integration/consolidation/ (``krai.integration.consolidation.views``)."""

from krai.integration.consolidation import views

app_name = "consolidation"

urlpatterns = [*views.urlpatterns]
