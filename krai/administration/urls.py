"""Administration's pages under /workspace/administration/: access management (people, roles and scopes, bulk
changes, the review of who can see what), temporary deputies, employee efficiency."""

from krai.administration.views import access, deputies, efficiency

app_name = "administration"

urlpatterns = [
    *access.urlpatterns,
    *deputies.urlpatterns,
    *efficiency.urlpatterns,
]
