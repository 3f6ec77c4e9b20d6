"""The planner's pages under /workspace/planner/ (the calendar, entries, what I gave, the iCalendar feed, voice
orders) and the private feed under /planner/feed/."""

from krai.planner.views import calendar, entries, feed, today, voice

app_name = "planner"

urlpatterns = [
    *calendar.urlpatterns,
    *entries.urlpatterns,
    *feed.urlpatterns,
    *voice.urlpatterns,
    *today.urlpatterns,
]
