"""Pages of the kernel's search."""

app_name = "search"

urlpatterns: list = []
