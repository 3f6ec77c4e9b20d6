"""API routes of the kernel (notifications, comments, attachments, search, calendar, audit)."""

urlpatterns: list = []
