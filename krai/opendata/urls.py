"""Pages of the opendata area (the full paths live here; krai/urls.py mounts this module at the root)."""

app_name = "opendata"

urlpatterns: list = []
