"""The planner's API under /api/v1/planner/; writes with a token need ``write`` and ``planner:write``."""

from krai.planner.api import entries, feed, voice

urlpatterns = [
    *entries.urlpatterns,
    *feed.urlpatterns,
    *voice.urlpatterns,
]
