"""API of the organisation structure, mounted under /api/v1/ by the composition root."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from krai.org.addresses import api as addresses
from krai.org.api import residence, views

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("blocks", views.BlockViewSet, basename="block")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("positions", views.PositionViewSet, basename="position")
router.register("role-assignments", views.RoleAssignmentViewSet, basename="role-assignment")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("addresses/search/", addresses.SearchView.as_view(), name="addresses-search"),
    path("addresses/reverse/", addresses.ReverseView.as_view(), name="addresses-reverse"),
    path("municipalities.geojson", views.MunicipalityGeoJSONView.as_view(), name="municipalities-geojson"),
    path("residence-requests/", residence.QueueView.as_view(), name="residence-requests"),
    path("residence-requests/<int:pk>/", residence.DetailView.as_view(), name="residence-request"),
    path("residence-requests/<int:pk>/verify/", residence.VerifyView.as_view(), name="residence-request-verify"),
    path("residence-requests/<int:pk>/refuse/", residence.RefuseView.as_view(), name="residence-request-refuse"),
    *router.urls,
]
