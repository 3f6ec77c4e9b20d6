"""Pages of the kernel's workcalendar."""

app_name = "workcalendar"

urlpatterns: list = []
