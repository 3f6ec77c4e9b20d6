"""API tokens: issuing (the whole token shown once, its SHA-256 kept), finding, revoking."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.accounts.models import TOKEN_PREFIX, TOKEN_SCOPES, ApiToken
from krai.accounts.services._common import TOKEN_TOUCH_EVERY, _errors, _require_self
from krai.core.events.services import record_event

# --- API tokens ------------------------------------------------------------------------------------------

def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(raw: str) -> tuple[str, str] | None:
    """``krai_<prefix>_<secret>`` → (prefix, secret), or None when it is not shaped like one of ours."""
    head, _sep, rest = (raw or "").strip().partition("_")
    prefix, _sep, secret = rest.partition("_")
    if head != TOKEN_PREFIX or not re.fullmatch(r"[0-9a-f]{8,16}", prefix) or not secret:
        return None
    return prefix, secret


def token_find(raw: str) -> ApiToken | None:
    """The token this string is, active or not, or None when the prefix is unknown or the secret wrong."""
    parsed = parse_token(raw)
    if parsed is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parsed[0]).first()
    if token is None or not secrets.compare_digest(token.secret_hash, _hash(parsed[1])):
        return None
    return token


def token_touch(token: ApiToken) -> None:
    """Note a use, at most once a minute per token so that reading does not become a write per request."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the whole token: shown once, never stored


@transaction.atomic
def token_create(*, actor: Any, user: Any, name: str, scopes: list[str], expires_at: datetime | None = None,
                 kind: str = ApiToken.Kind.PERSONAL) -> IssuedToken:
    """Issue a token: a person's own (``personal``), or an integrated system's, which only an administrator issues."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in first."))
    if kind == ApiToken.Kind.SYSTEM:
        if not actor.has_perm("accounts.issue_system_token"):
            raise PermissionDenied(_("Only an administrator may issue tokens of integrated systems."))
    elif kind == ApiToken.Kind.PERSONAL:
        _require_self(actor, user)
    else:
        raise ValidationError({"kind": [_("Unknown kind of token.")]})
    errors: dict[str, list] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name the token, e.g. after the program that will use it.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    scopes = list(dict.fromkeys(scopes or []))
    unknown = [s for s in scopes if s not in TOKEN_SCOPES]
    if unknown:
        errors["scopes"] = [_("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}]
    elif not scopes:
        errors["scopes"] = [_("Choose at least one scope.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if not user.is_active:
        errors.setdefault("user", []).append(_("This account is closed."))
    _errors(errors)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 4 billion prefixes: practically never loops
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, kind=kind, prefix=prefix, secret_hash=_hash(secret),
                                    scopes=scopes, expires_at=expires_at, created_by=actor)
    record_event(kind="accounts.token_created", actor=actor, subject=token,
                 payload={"user": user.pk, "kind": kind, "scopes": scopes, "prefix": prefix,
                          "expires_at": expires_at.isoformat() if expires_at else None})
    return IssuedToken(token=token, key=f"{TOKEN_PREFIX}_{prefix}_{secret}")


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner or an administrator); revoking twice changes nothing."""
    if actor is None or not actor.has_perm("accounts.revoke_apitoken", token):
        raise PermissionDenied(_("You may revoke only your own tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(kind="accounts.token_revoked", actor=actor, subject=token,
                     payload={"user": token.user_id, "prefix": token.prefix})
    return token
