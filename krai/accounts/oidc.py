"""OpenID Connect login against the provider an administrator configures."""

from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class KraiOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # the library reads its settings on construction; the provider is configured in the database
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        return None
