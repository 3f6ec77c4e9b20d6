"""API of the kernel's search."""

urlpatterns: list = []
