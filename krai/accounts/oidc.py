"""OpenID Connect login against the provider an administrator configures."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class KraiOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # the library reads its settings on construction; the provider is configured in the database
        self.UserModel = None

    def authenticate(self, request, **kwargs):
        return None
