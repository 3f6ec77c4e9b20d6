"""API of construction, mounted under /api/v1/ by the composition root: everything lives under
/api/v1/construction/. Writes made with a token need the scopes ``write`` and ``construction:write``."""

from krai.construction.api import illegal, objects, verification, works

urlpatterns = [
    *objects.urlpatterns,
    *verification.urlpatterns,
    *illegal.urlpatterns,
    *works.urlpatterns,
]
