"""API of the kernel's workcalendar."""

urlpatterns: list = []
