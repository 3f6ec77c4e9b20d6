"""Pages of the monitor (Lawsuits)."""

from django.urls import path

from krai.monitoring.lawsuits import views

app_name = "lawsuits"

urlpatterns = [
    path("", views.case_list, name="home"),
    path("calendar/", views.hearing_calendar, name="calendar"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
]
