from django.urls import path

from krai.portal import views, views_activity

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("municipalities/", views.municipalities, name="municipalities"),
    path("municipalities.geojson", views.municipalities_geojson, name="municipalities-geojson"),
    path("municipalities/<slug:code>/", views.municipality, name="municipality"),
    path("structure/", views.structure, name="structure"),
    path("structure/<slug:code>/", views.organisation, name="organisation"),
    path("my/", views_activity.my_activity, name="my-activity"),
]
