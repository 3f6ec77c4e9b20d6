"""API of construction: the illegal part (filled by its owner), under /api/v1/construction/."""

urlpatterns: list = []
