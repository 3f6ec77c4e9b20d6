"""Law-making's pages: the portal under /lawmaking/, the staff's queue under /workspace/lawmaking/."""

from krai.lawmaking.views import discussion, drafts, expertise, export, initiatives, reaction, stats, workspace

app_name = "lawmaking"

urlpatterns = [
    *stats.urlpatterns,
    *initiatives.urlpatterns,
    *discussion.urlpatterns,
    *drafts.urlpatterns,
    *expertise.urlpatterns,
    *reaction.urlpatterns,
    *export.urlpatterns,
    *workspace.urlpatterns,
]
