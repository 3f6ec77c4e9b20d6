"""Pages of the monitor (Federal rankings)."""

from django.urls import path

from krai.monitoring.rankings import views

app_name = "rankings"

urlpatterns = [
    path("", views.rating_list, name="list"),
    path("new/", views.rating_form, name="rating-new"),
    path("<slug:code>/", views.rating_detail, name="rating"),
    path("<slug:code>/edit/", views.rating_form, name="rating-edit"),
    path("<slug:code>/editions/new/", views.edition_form, name="edition-new"),
    path("<slug:code>/editions/<int:pk>/", views.edition_detail, name="edition"),
    path("<slug:code>/order/", views.order, name="order"),
]
