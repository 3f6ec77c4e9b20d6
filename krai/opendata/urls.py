"""Pages of the opendata area (the full paths live here; krai/urls.py mounts this module at the root).

Readers: the catalogue, a dataset's page, table, map and downloads. Machines: the Russian layout
(methodological recommendations 3.0), the CKAN Action API under /api/3/action/ and /api/action/, and
the DCAT catalogues. Publishers: the workspace pages.
"""

from django.urls import path, re_path

from krai.core import lean
from krai.opendata import ckan, machine, views

app_name = "opendata"

ID = r"(?P<identifier>[0-9]{10,12}-[a-z0-9][a-z0-9_\-]{0,80})"
# structure-YYYYMMDD, data-YYYYMMDD-structure-YYYYMMDD; a later one the same day adds THHMM (and -N)
STAMP = r"[0-9]{8}(?:T[0-9]{4}(?:-[0-9]+)?)?"
STRUCTURE_NAME = rf"structure-{STAMP}"
DATA_NAME = rf"data-{STAMP}-{STRUCTURE_NAME}"

urlpatterns = [
    path("opendata/", views.home, name="home"),
    re_path(r"^opendata/list\.(?P<ext>csv|xml|json)$", machine.registry_list, name="list"),
    path("opendata/catalog.jsonld", machine.dcat_jsonld, name="dcat"),
    path("catalog.jsonld", machine.dcat_jsonld),
    path("data.json", machine.dcat_us, name="data-json"),
    path("opendata/data.json", machine.dcat_us),
    re_path(rf"^opendata/{ID}/$", views.dataset, name="dataset"),
    re_path(rf"^opendata/{ID}$", views.dataset),
    re_path(rf"^opendata/{ID}/meta\.(?P<ext>csv|xml|json)$", machine.meta, name="meta"),
    re_path(rf"^opendata/{ID}/(?P<name>{DATA_NAME})\.csv$", machine.data_file, name="data-file"),
    re_path(rf"^opendata/{ID}/(?P<name>{STRUCTURE_NAME})\.csv$", machine.structure_file, name="structure-file"),
    re_path(rf"^opendata/{ID}/table/$", views.table, name="table"),
    re_path(rf"^opendata/{ID}/map\.geojson$", views.map_points, name="map"),
    re_path(rf"^opendata/{ID}/export\.(?P<fmt>csv|json|xml|xlsx)$", views.export_view, name="export"),
    re_path(rf"^opendata/{ID}/versions/(?P<number>[0-9]+)\.(?P<fmt>csv|json|xml|xlsx)$", views.version_download,
            name="version-download"),
    path("workspace/opendata/", views.workspace, name="workspace"),
    path("workspace/opendata/new/", views.workspace_new, name="workspace-new"),
    re_path(rf"^workspace/opendata/{ID}/$", views.workspace_dataset, name="workspace-dataset"),
    path("api/3/action/<str:name>", ckan.action, name="ckan-action"),
    path("api/action/<str:name>", ckan.action, name="ckan-action-short"),
    path("api/util/status", ckan.util_status, name="ckan-util-status"),
]

# CKAN's read actions are public and touch no session: anonymous GETs take the lean path (krai.core.lean)
lean.register("opendata:ckan-action", "opendata:ckan-action-short")
