"""The community's pages: the portal under /community/, staff queues under /workspace/community/."""

from krai.social.views import content, conversations, experts, galleries, moderation, profiles

app_name = "social"

urlpatterns = [
    *profiles.urlpatterns,
    *experts.urlpatterns,
    *content.urlpatterns,
    *galleries.urlpatterns,
    *conversations.urlpatterns,
    *moderation.urlpatterns,
]
