"""Pages of participation (the full paths live here; krai/urls.py mounts this module at the root)."""

app_name = "participation"

urlpatterns: list = []
