"""API of the kernel's comments."""

urlpatterns: list = []
