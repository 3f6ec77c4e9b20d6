"""Integration's API under /api/v1/integration/ (systems, the exchange log); writes with a token need ``write``
and ``integration:write``."""

urlpatterns: list = []
