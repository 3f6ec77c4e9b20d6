"""Pages of the production calendar (mounted under /workspace/calendar/)."""

from django.urls import path

from krai.core.workcalendar import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.index, name="index"),
    path("set/", views.set_day, name="set"),
    path("<str:day>/remove/", views.remove_day, name="remove"),
]
