"""Pages of the problems area (the full paths live here; krai/urls.py mounts this module at the root)."""

app_name = "problems"

urlpatterns: list = []
