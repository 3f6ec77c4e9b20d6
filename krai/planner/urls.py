"""The planner's pages under /workspace/planner/ (the calendar, entries, what I gave, the iCalendar feed, reminders'
devices, voice orders) and the private feed under /planner/feed/."""

from krai.planner.views import calendar, entries, feed, push, voice

app_name = "planner"

urlpatterns = [
    *calendar.urlpatterns,
    *entries.urlpatterns,
    *feed.urlpatterns,
    *push.urlpatterns,
    *voice.urlpatterns,
]
