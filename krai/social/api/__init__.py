"""API of the community, mounted under /api/v1/ by the composition root: everything lives under
/api/v1/social/. Writes made with a token need the scopes ``write`` and ``social:write``."""

from krai.social.api import content, conversations, follows, galleries, moderation, profiles

urlpatterns = [
    *profiles.urlpatterns,
    *follows.urlpatterns,
    *content.urlpatterns,
    *galleries.urlpatterns,
    *conversations.urlpatterns,
    *moderation.urlpatterns,
]
