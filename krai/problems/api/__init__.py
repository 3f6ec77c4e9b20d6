"""REST API of the problems area under /api/v1/problems/."""

from django.urls import path

from krai.problems.api import views, workspace

urlpatterns = [
    path("problems/", views.ProblemList.as_view(), name="problems-list"),
    path("problems/categories/", views.CategoryList.as_view(), name="problems-categories"),
    path("problems/map/", views.ProblemMap.as_view(), name="problems-map"),
    path("problems/queue/", workspace.WorkspaceQueue.as_view(), name="problems-queue"),
    path("problems/moderation/", workspace.ModerationQueue.as_view(), name="problems-moderation"),
    path("problems/statistics/", workspace.Statistics.as_view(), name="problems-statistics"),
    path("problems/<int:pk>/", views.ProblemDetail.as_view(), name="problems-detail"),
    path("problems/<int:pk>/endorse/", views.ProblemEndorse.as_view(), name="problems-endorse"),
    path("problems/<int:pk>/rate/", views.ProblemRate.as_view(), name="problems-rate"),
    path("problems/<int:pk>/follow/", views.ProblemFollow.as_view(), name="problems-follow"),
    path("problems/<int:pk>/reopen/", views.ProblemReopen.as_view(), name="problems-reopen"),
    *[path(f"problems/<int:pk>/{action}/", views._staff_view(action).as_view(), name=f"problems-{action}")
      for action in views.ACTIONS],
]
