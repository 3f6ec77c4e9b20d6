"""API of law-making, mounted under /api/v1/ by the composition root: everything lives under
/api/v1/lawmaking/. Writes made with a token need the scopes ``write`` and ``lawmaking:write``."""

from krai.lawmaking.api import discussion, drafts, expertise, initiatives, reactions

urlpatterns = [
    *initiatives.urlpatterns,
    *discussion.urlpatterns,
    *drafts.urlpatterns,
    *expertise.urlpatterns,
    *reactions.urlpatterns,
]
