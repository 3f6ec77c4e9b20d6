"""Pages of the kernel's files."""

app_name = "files"

urlpatterns: list = []
