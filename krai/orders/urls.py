"""Pages of the orders area (the full paths live here; krai/urls.py mounts this module at the root)."""

app_name = "orders"

urlpatterns: list = []
