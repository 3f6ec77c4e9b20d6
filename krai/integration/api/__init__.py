"""Integration's API under /api/v1/integration/: the registered systems and their tokens (administrators), the
exchange log (its readers) and ``me`` (a system asking who it is). Writes made with a token need the scopes
``write`` and ``integration:write``."""

from krai.integration.api import exchange, systems

urlpatterns = [
    *systems.urlpatterns,
    *exchange.urlpatterns,
]
