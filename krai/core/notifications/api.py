"""API of the kernel's notifications."""

urlpatterns: list = []
