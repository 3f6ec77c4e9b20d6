"""Administration: efficiency pages (written by its part of issue 20)."""

urlpatterns: list = []
