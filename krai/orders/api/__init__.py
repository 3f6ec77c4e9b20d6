"""REST API of the orders area under /api/v1/."""

urlpatterns: list = []
