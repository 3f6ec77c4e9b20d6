"""Pages of the kernel's comments."""

app_name = "comments"

urlpatterns: list = []
