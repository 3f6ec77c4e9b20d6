"""Construction's pages: the portal under /construction/ (the registry, verification requests, illegal
constructions) and /works/ ("Find out" about infrastructure works), the staff's pages under
/workspace/construction/."""

from krai.construction.views import illegal, objects, verification, works, workspace

app_name = "construction"

urlpatterns = [
    *workspace.urlpatterns,
    *objects.urlpatterns,
    *verification.urlpatterns,
    *illegal.urlpatterns,
    *works.urlpatterns,
]
