"""API of construction: the objects part (filled by its owner), under /api/v1/construction/."""

urlpatterns: list = []
