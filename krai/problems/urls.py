"""Pages of the problems area and its Open311 server (the full paths live here; krai/urls.py mounts this
module at the root)."""

from django.urls import path, re_path

from krai.problems import open311, views, views_workspace

app_name = "problems"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("problems/", views.home, name="home"),
    path("problems/new/", views.report, name="report"),
    path("problems/new/photo/<str:token>/", views.kept_photo, name="kept-photo"),
    path("problems/places/search.json", views.place_search, name="place-search"),
    path("problems/places/reverse.json", views.place_reverse, name="place-reverse"),
    path("problems/mine/", views.mine, name="mine"),
    path("problems/map.json", views.map_data, name="map-data"),
    path("problems/similar/", views.similar, name="similar"),
    path("problems/<int:pk>/", views.detail, name="detail"),
    path("problems/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("problems/<int:pk>/rate/", views.rate, name="rate"),
    path("problems/<int:pk>/follow/", views.follow, name="follow"),
    path("problems/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("workspace/problems/", views_workspace.queue, name="workspace"),
    path("workspace/problems/moderation/", views_workspace.moderation, name="moderation"),
    path("workspace/problems/moderation/many/", views_workspace.moderate_many, name="moderate-many"),
    path("workspace/problems/statistics/", views_workspace.statistics, name="statistics"),
    path("workspace/problems/<int:pk>/", views_workspace.detail, name="ws-detail"),
    path("workspace/problems/<int:pk>/<str:action>/", views_workspace.act, name="ws-act"),
    path("open311/v2/", views.open311_root, name="open311-root"),
    re_path(r"^open311/v2/discovery" + FMT, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FMT, open311.service_list, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<code>[\w-]+)" + FMT, open311.service_definition, name="open311-service"),
    re_path(r"^open311/v2/requests" + FMT, open311.request_list, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<pk>[^/.]+)" + FMT, open311.request_detail, name="open311-request"),
    re_path(r"^open311/v2/tokens/(?P<token>[^/.]+)" + FMT, open311.token_detail, name="open311-token"),
    re_path(r"^open311/v2/servicerequestupdates" + FMT, open311.request_updates, name="open311-updates"),
]
