"""API of accounts: the current user, personal tokens."""

urlpatterns: list = []
