"""OpenID Connect login against the providers an administrator configures (``accounts.OidcProvider``).

mozilla-django-oidc reads its configuration from settings; Krai keeps it in the database, one row per
provider, so the backend and the two views below take it from the provider the login started with
(remembered in the session) instead. Without a provider in play the backend authenticates nobody, so
password logins pass it by.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from krai.accounts import second_factor

SESSION_KEY = "krai_oidc_provider"
CALLBACK_URL_NAME = "accounts:oidc-callback"

log = logging.getLogger(__name__)


def _provider_settings(provider, attr: str, *args):
    """The library's setting ``attr`` as this provider has it; anything else from Django's settings."""
    if provider is not None:
        values = {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": provider.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": provider.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": provider.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": provider.jwks_endpoint or None,
            "OIDC_RP_CLIENT_ID": provider.client_id,
            "OIDC_RP_CLIENT_SECRET": provider.client_secret,
            "OIDC_RP_SIGN_ALGO": provider.sign_algo,
            "OIDC_RP_SCOPES": provider.scopes,
            "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK_URL_NAME,
            "LOGIN_REDIRECT_URL_FAILURE": reverse("accounts:login"),
        }
        if attr in values:
            return values[attr]
    return import_from_settings(attr, *args)


def _active_provider(pk):
    from krai.accounts.models import OidcProvider

    return OidcProvider.objects.filter(pk=pk, is_active=True).first() if pk else None


def _claim(claims: dict, path: str):
    """A claim by name, or inside a structured one by a dotted path ("address.municipality")."""
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def residence_from_claims(provider, claims: dict):
    """The active municipality the provider's configured residence claim names, or None."""
    if provider is None or not provider.residence_claim:
        return None
    value = _claim(claims, provider.residence_claim.strip())
    if value is None or isinstance(value, dict | list) or str(value).strip() == "":
        return None
    value = str(value).strip()
    mapping = provider.residence_values or {}
    code = mapping.get(value) if mapping else value
    if not code:
        log.info("OIDC provider %s: residence claim value %r is not mapped", provider.slug, value)
        return None
    from krai.org.selectors import municipality_list

    return municipality_list().filter(code=str(code)).first()


class KraiOIDCBackend(OIDCAuthenticationBackend):
    """Maps a provider's claims to ``org.User``: found by e-mail, or created as a confirmed resident."""

    def __init__(self, *args, provider=None, **kwargs):
        # the library reads settings here; ours come from the provider row when a login uses one
        self.UserModel = get_user_model()
        self.provider = provider
        if provider is not None:
            self._configure(provider)

    def _configure(self, provider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint or None
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None

    def get_settings(self, attr, *args):  # the library calls it as self.get_settings(...)
        return _provider_settings(getattr(self, "provider", None), attr, *args)

    def authenticate(self, request, **kwargs):
        if request is None or not hasattr(request, "session"):
            return None
        provider = _active_provider(request.session.get(SESSION_KEY))
        if provider is None or "code" not in request.GET:
            return None
        self._configure(provider)
        self._claim_sets: list[dict] = []
        user = super().authenticate(request, **kwargs)
        if user is not None:
            # the callback view marks the session once the person is logged in (see login_success)
            request.krai_oidc_second_factor = second_factor.amr_asserts_second_factor(*self._claim_sets)
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        self._claim_sets = [*getattr(self, "_claim_sets", []), payload]
        return super().get_or_create_user(access_token, id_token, payload)

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        self._claim_sets = [*getattr(self, "_claim_sets", []), claims]
        return claims

    def verify_claims(self, claims) -> bool:
        """An e-mail is needed to find or make the account; a provider saying it is unverified is refused."""
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        from krai.accounts import services

        try:
            user = services.oidc_resident_create(
                provider=self.provider, email=claims.get("email", ""), surname=claims.get("family_name", ""),
                given_name=claims.get("given_name", ""), patronymic=claims.get("middle_name", ""))
        except ValidationError as exc:  # e.g. a closed account holds the e-mail
            raise SuspiciousOperation(str(exc)) from exc
        self._assert_residence(user, claims)
        return user

    def update_user(self, user, claims):
        """A provider's login proves the e-mail (confirmed if it was not yet) and, if mapped, the residence."""
        if not user.email_confirmed:
            from krai.accounts import services

            services.email_confirm_by_provider(user=user, provider=self.provider)
        self._assert_residence(user, claims)
        return user

    def _assert_residence(self, user, claims: dict) -> None:
        """The provider's residence claim, mapped to a municipality, counts as a verified residence.

        A claim the mapping does not know, or no claim at all, changes nothing: the resident may still ask
        staff with a document. Staff accounts keep their residence as an administrator set it.
        """
        municipality = residence_from_claims(self.provider, claims)
        if municipality is not None and not user.is_staff:
            from krai.org import services as org_services

            org_services.residence_assert_by_provider(user=user, provider=self.provider.slug,
                                                      municipality=municipality)


class ProviderLoginView(OIDCAuthenticationRequestView):
    """``/accounts/oidc/<slug>/login/``: off to the provider, remembering which one it was."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.provider = None

    def get_settings(self, attr, *args):
        return _provider_settings(self.provider, attr, *args)

    def get(self, request, slug):
        from krai.accounts.models import OidcProvider

        self.provider = get_object_or_404(OidcProvider, slug=slug, is_active=True)
        self.OIDC_OP_AUTH_ENDPOINT = self.provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        request.session[SESSION_KEY] = self.provider.pk
        return super().get(request)


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """``/accounts/oidc/callback/``: the provider sends the person back here with a code."""

    def get_settings(self, attr, *args):
        provider = _active_provider(self.request.session.get(SESSION_KEY)) if hasattr(self, "request") else None
        return _provider_settings(provider, attr, *args)

    def get(self, request):
        if _active_provider(request.session.get(SESSION_KEY)) is None:
            raise Http404
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        # Krai does not ask its own code when the provider says it asked a second factor (amr); otherwise a
        # role that requires one is held back by second_factor.SecondFactorMiddleware
        if getattr(self.request, "krai_oidc_second_factor", False):
            self.request.session[second_factor.PROVIDER_VERIFIED] = self.user.pk
        else:
            self.request.session.pop(second_factor.PROVIDER_VERIFIED, None)
        return response

    def login_failure(self):
        messages.error(self.request, _("Logging in through the identity provider did not succeed. Try again or "
                                       "log in with your e-mail and password."))
        return super().login_failure()
