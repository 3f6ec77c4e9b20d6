"""REST API of the opendata area under /api/v1/opendata/."""

from django.urls import path

from krai.core import lean
from krai.opendata.api import views

urlpatterns = [
    path("opendata/datasets/", views.DatasetList.as_view(), name="opendata-dataset-list"),
    path("opendata/datasets/<str:identifier>/", views.DatasetDetail.as_view(), name="opendata-dataset-detail"),
    path("opendata/datasets/<str:identifier>/versions/", views.VersionList.as_view(),
         name="opendata-version-list"),
    path("opendata/datasets/<str:identifier>/rows/", views.DatasetRows.as_view(), name="opendata-rows"),
    path("opendata/datasets/<str:identifier>/quality/", views.DatasetQuality.as_view(), name="opendata-quality"),
]

# the rows of public datasets, read anonymously, take the lean path (krai.core.lean): no session, no CSRF, no OTP
lean.register("opendata-rows")
