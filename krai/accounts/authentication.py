"""API token authentication (personal tokens and tokens of integrated systems)."""

from rest_framework.authentication import BaseAuthentication


class ApiTokenAuthentication(BaseAuthentication):
    """Replaced by the accounts work: ``Authorization: Token <key>``."""

    def authenticate(self, request):
        return None
