"""API of construction: the verification part (filled by its owner), under /api/v1/construction/."""

urlpatterns: list = []
