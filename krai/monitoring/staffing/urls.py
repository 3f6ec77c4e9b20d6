"""Pages of the monitor (Staff completeness)."""

from django.urls import path

from krai.monitoring.staffing import views

app_name = "staffing"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<slug:code>/", views.organisation, name="organisation"),
    path("vacancies/<int:pk>/order/", views.vacancy_order, name="vacancy-order"),
]
