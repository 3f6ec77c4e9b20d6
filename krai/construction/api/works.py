"""API of construction: the works part (filled by its owner), under /api/v1/construction/."""

urlpatterns: list = []
