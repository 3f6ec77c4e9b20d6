from django.urls import path

from krai.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("structure/", views.structure, name="structure"),
    path("structure/<int:pk>/", views.organisation, name="organisation"),
]
