"""Accounts' own tables: API tokens and the OpenID Connect providers an administrator configures.

The user himself is ``org.User``; one-time-password devices are django-otp's.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: the fixed vocabulary of token scopes. Every write needs ``write`` and its area's ``<area>:write`` (derived
#: from the view's module, see krai/accounts/scopes.py): an area with API writes adds its scope here.
TOKEN_SCOPES: dict[str, str] = {
    "read": _("Read everything the owner may read"),
    "write": _("Change data (needed by every POST, PUT, PATCH and DELETE, with the area's scope)"),
    "accounts:write": _("Change my profile and my API tokens"),
    "org:write": _("Change the organisation structure"),
    "orders:write": _("Issue and execute orders"),
    "problems:write": _("Report and answer problems"),
    "participation:write": _("Vote, rate and suggest ideas"),
    "opendata:write": _("Publish open datasets"),
    "comments:write": _("Write, edit and hide comments"),
    "notifications:write": _("Mark notifications read and choose how they come"),
    "files:write": _("Attach and remove files"),
    "imports:write": _("Import tables (with the scope of the area the rows go to)"),
    "monitoring:write": _("Keep rankings, indicators, staffing and court cases"),
    "projects:write": _("Keep priority projects and programmes: plans, dates, dependencies, baselines"),
    "social:write": _("Publish, follow, message, report and keep my community profile"),
    "lawmaking:write": _("Propose, discuss, amend, review and answer draft acts"),
    "construction:write": _("Request verifications, keep the construction registries, follow and rate works"),
    "integration:write": _("Exchange with Krai as a registered system: document-flow packages, webhooks, "
                           "pushes between installations"),
    "administration:write": _("Change people's roles and scopes, appoint temporary deputies"),
    "planner:write": _("Keep my planner: tasks, events, reminders, calendar feeds; dictate orders"),
    "reports:write": _("Keep my periodic reports: templates, schedules, recipients; generate editions"),
}

TOKEN_PREFIX = "krai"  # noqa: S105 — the visible start of every token, not a secret


class ApiToken(models.Model):
    """A key for the REST API: a person's own (personal) or an integrated system's (issued by an administrator).

    Only the SHA-256 of the secret is stored; the whole token is shown once, when it is made. A revoked or
    expired token authenticates nobody, and its row stays as a record of who could do what and when.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("personal")
        SYSTEM = "system", _("integrated system")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PERSONAL)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="accounts_token_named"),
            models.CheckConstraint(condition=Q(kind__in=["personal", "system"]), name="accounts_token_kind"),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_token_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.display})"

    @property
    def display(self) -> str:
        """What identifies the token without revealing it: ``krai_<prefix>_…``."""
        return f"{TOKEN_PREFIX}_{self.prefix}_…"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class OidcProvider(models.Model):
    """An OpenID Connect identity provider (the region's, a federal one) people may log in through.

    The client secret is not stored here: the row names the environment variable that holds it, so the
    database and its backups never carry it.
    """

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("button label"), max_length=100)
    issuer = models.URLField(_("issuer"))
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret_env = models.CharField(
        _("environment variable with the client secret"), max_length=100,
        help_text=_("The name of an environment variable of the web processes, e.g. KRAI_OIDC_ESIA_SECRET."))
    authorization_endpoint = models.URLField(_("authorization endpoint"))
    token_endpoint = models.URLField(_("token endpoint"))
    userinfo_endpoint = models.URLField(_("userinfo endpoint"))
    jwks_endpoint = models.URLField(_("JWKS endpoint"), blank=True)
    sign_algo = models.CharField(_("signing algorithm"), max_length=10, default="RS256")
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    residence_claim = models.CharField(
        _("claim with the residence"), max_length=100, blank=True,
        help_text=_("The claim in which the provider asserts where the person lives (e.g. \"oktmo\" or "
                    "\"address.municipality\"). Empty: the provider asserts no residence."))
    residence_values = models.JSONField(
        _("claim values to municipalities"), default=dict, blank=True,
        help_text=_("The claim's values and the codes of Krai's municipalities they mean, e.g. "
                    "{\"03701000\": \"krasnodar\"} for OKTMO codes. Empty: the claim holds the municipality's code."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("OpenID Connect provider")
        verbose_name_plural = _("OpenID Connect providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def client_secret(self) -> str:
        return os.environ.get(self.client_secret_env, "") if self.client_secret_env else ""
