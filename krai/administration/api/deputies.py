"""Administration: deputies API (written by its part of issue 20)."""

urlpatterns: list = []
