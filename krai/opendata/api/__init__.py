"""REST API of the opendata area under /api/v1/."""

urlpatterns: list = []
