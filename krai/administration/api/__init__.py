"""Administration's API under /api/v1/administration/; writes with a token need ``write`` and
``administration:write``."""

from krai.administration.api import access, deputies, efficiency

urlpatterns = [
    *access.urlpatterns,
    *deputies.urlpatterns,
    *efficiency.urlpatterns,
]
