"""Pages of the kernel's notifications."""

app_name = "notifications"

urlpatterns: list = []
