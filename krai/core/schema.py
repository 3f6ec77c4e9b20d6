"""OpenAPI: how the API's token authentication is described (the class lives in accounts, named by path)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "krai.accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "krai_<prefix>_<secret>",
            "description": "A personal or integration token from /accounts/tokens/: "
                           "`Authorization: Bearer krai_…`. Its scopes limit what it may do.",
        }
