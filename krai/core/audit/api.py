"""API of the kernel's audit."""

urlpatterns: list = []
