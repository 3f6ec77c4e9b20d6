"""REST API of the problems area under /api/v1/."""

urlpatterns: list = []
