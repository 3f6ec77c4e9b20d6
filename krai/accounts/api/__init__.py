"""API of accounts under /api/v1/: the current user, his residence, registration, the caller's own tokens."""

from django.urls import path

from krai.accounts.api import residence, views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="accounts-me"),
    path("me", views.MeWithoutSlash.as_view()),
    path("me/residence/", residence.ResidenceView.as_view(), name="accounts-residence"),
    path("accounts/register/", views.RegisterView.as_view(), name="accounts-register"),
    path("accounts/tokens/", views.TokenListView.as_view(), name="accounts-token-list"),
    path("accounts/tokens/<int:pk>/", views.TokenDetailView.as_view(), name="accounts-token-detail"),
]
