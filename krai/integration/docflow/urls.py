"""Document flow: pages under /workspace/integration/ (written by its part of issue 20)."""

app_name = "docflow"

urlpatterns: list = []
