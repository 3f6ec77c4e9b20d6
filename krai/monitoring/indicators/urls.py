"""Pages of the monitor (Target indicators)."""

from django.urls import path

from krai.monitoring.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.table, name="table"),
    path("i/<slug:code>/", views.indicator, name="indicator"),
    path("i/<slug:code>/order/", views.order, name="order"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/submit/", views.submit, name="submit"),
]
