"""API of the kernel's files."""

urlpatterns: list = []
