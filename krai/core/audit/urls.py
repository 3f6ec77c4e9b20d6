"""Pages of the kernel's audit."""

app_name = "audit"

urlpatterns: list = []
