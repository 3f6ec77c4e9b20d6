"""Pages of the orders area (the full paths live here; krai/urls.py mounts this module at the root)."""

from django.urls import path

from krai.orders import picker_views, views, views_lists

app_name = "orders"

urlpatterns = [
    path("workspace/orders/", views_lists.assignment_list, name="list"),
    path("workspace/orders/new/", views.order_create, name="create"),
    path("workspace/orders/dashboard/", views_lists.dashboard_view, name="dashboard"),
    path("workspace/orders/order/<int:pk>/", views.order_detail, name="order"),
    path("workspace/orders/order/<int:pk>/edit/", views.order_edit, name="order_edit"),
    path("workspace/orders/order/<int:pk>/issue/", views.order_issue, name="order_issue"),
    path("workspace/orders/control/<int:pk>/", views.assignment_detail, name="assignment"),
    path("workspace/orders/control/<int:pk>/<slug:action>/", views.assignment_action, name="action"),
    path("workspace/orders/extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("workspace/orders/pick/organisations/", picker_views.organisations, name="pick_organisations"),
    path("workspace/orders/pick/people/", picker_views.people, name="pick_people"),
]
