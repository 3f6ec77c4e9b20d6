"""API of the organisation structure."""

urlpatterns: list = []
