"""Every write of the accounts area: registration, confirmation, profile, anonymisation, tokens, two-factor.

Each function is keyword-only and atomic, refuses with ``PermissionDenied`` or ``ValidationError`` (keyed by
field, in the user's language) before anything is written, and records a domain event (``accounts.*``) in
the same transaction. E-mails leave after the commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from krai.accounts.models import TOKEN_PREFIX, TOKEN_SCOPES, ApiToken, OidcProvider
from krai.core.events.services import record_event

User = get_user_model()

CONFIRMATION_MAX_AGE = timedelta(days=3)
CONFIRMATION_SALT = "krai.accounts.email-confirmation"
BACKUP_CODES = 10
TOKEN_TOUCH_EVERY = timedelta(minutes=1)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _errors(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(errors)


def _require_self(actor: Any, user: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise PermissionDenied(_("You may change only your own account."))


# --- input normalisation ----------------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s\-()]")


def normalise_phone(phone: str) -> str:
    """``+7 (900) 123-45-67`` or ``8 900 123 45 67`` → ``+79001234567``; "" stays ""; anything else is refused."""
    raw = _PHONE_JUNK.sub("", phone or "")
    if not raw:
        return ""
    if raw.startswith("8") and len(raw) == 11:
        raw = "+7" + raw[1:]
    if not re.fullmatch(r"\+7\d{10}", raw):
        raise ValidationError(_("Enter a Russian phone number: +7 and ten digits, e.g. +7 900 123-45-67."),
                              code="phone")
    return raw


def normalise_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def _check_names(errors: dict[str, list], *, surname: str, given_name: str, patronymic: str) -> None:
    for field, value, required in (("surname", surname, True), ("given_name", given_name, True),
                                   ("patronymic", patronymic, False)):
        if required and not (value or "").strip():
            errors.setdefault(field, []).append(_("This field is required."))
        elif len(value or "") > 100:
            errors.setdefault(field, []).append(_("At most 100 characters."))


def _check_municipality(errors: dict[str, list], municipality: Any) -> None:
    if municipality is not None and not municipality.is_active:
        errors.setdefault("home_municipality", []).append(_("This municipality is no longer active."))


# --- registration and e-mail confirmation --------------------------------------------------------------

@transaction.atomic
def resident_register(*, email: str, password: str, password_again: str | None = None, surname: str,
                      given_name: str, patronymic: str = "", phone: str = "", home_municipality: Any = None,
                      consent: bool = False, language: str = "") -> Any:
    """Open a resident's account (not staff, e-mail unconfirmed) and send the confirmation link.

    Every problem with the input is reported at once, by field; nothing is written unless all is well.
    """
    errors: dict[str, list] = {}
    email = normalise_email(email)
    if not email or "@" not in email:
        errors["email"] = [_("Enter a valid e-mail address.")]
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail already exists. Log in or reset the password.")]
    surname, given_name, patronymic = (surname or "").strip(), (given_name or "").strip(), (patronymic or "").strip()
    _check_names(errors, surname=surname, given_name=given_name, patronymic=patronymic)
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    _check_municipality(errors, home_municipality)
    if not consent:
        errors["consent"] = [_("Registration needs your consent to the processing of personal data.")]
    user = User(email=email, surname=surname, given_name=given_name, patronymic=patronymic, phone=phone,
                home_municipality=home_municipality, is_staff=False, email_confirmed=False,
                preferred_language=(language or "")[:8])
    if password_again is not None and password != password_again:
        errors["password_again"] = [_("The two passwords differ.")]
    elif not password:
        errors["password"] = [_("This field is required.")]
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = exc.messages
    _errors(errors)
    user.set_password(password)
    user.save()
    record_event(kind="accounts.resident_registered", actor=user, subject=user,
                 payload={"home_municipality": user.home_municipality_id, "consent": True,
                          "consent_at": timezone.now().isoformat()})
    confirmation_send(user=user)
    return user


def confirmation_token_make(user: Any) -> str:
    """A signed, timestamped token naming the user and the e-mail it confirms (a changed e-mail voids it)."""
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign_object({"u": user.pk, "e": user.email})


def confirmation_url(user: Any) -> str:
    return settings.KRAI_SITE_URL.rstrip("/") + reverse("accounts:confirm", args=[confirmation_token_make(user)])


def _send(*, user: Any, template: str, context: dict[str, Any]) -> None:
    """Render ``accounts/email/<template>`` in the user's language and send it once the transaction commits."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, "site_url": settings.KRAI_SITE_URL, **context}
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    transaction.on_commit(lambda: message.send(fail_silently=False))


@transaction.atomic
def confirmation_send(*, user: Any) -> bool:
    """Send (again) the link that confirms ``user``'s e-mail; False when there is nothing to confirm."""
    if user.email_confirmed or not user.is_active:
        return False
    _send(user=user, template="confirm", context={"url": confirmation_url(user),
                                                   "days": CONFIRMATION_MAX_AGE.days})
    record_event(kind="accounts.confirmation_sent", actor=None, subject=user, payload={})
    return True


@transaction.atomic
def email_confirm(*, token: str) -> Any:
    """Mark the e-mail named by ``token`` confirmed; refuses an expired (``code="expired"``) or bad token."""
    signer = signing.TimestampSigner(salt=CONFIRMATION_SALT)
    try:
        data = signer.unsign_object(token, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired. Ask for a new one."), code="expired") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ValidationError(_("This link is not valid."), code="invalid") from exc
    user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first() \
        if isinstance(data, dict) else None
    if user is None or user.email.lower() != str(data.get("e", "")).lower():
        raise ValidationError(_("This link is not valid."), code="invalid")
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
        record_event(kind="accounts.email_confirmed", actor=user, subject=user, payload={})
    return user


# --- profile ----------------------------------------------------------------------------------------------

@transaction.atomic
def profile_update(*, actor: Any, user: Any, surname: Any = UNSET, given_name: Any = UNSET,
                   patronymic: Any = UNSET, phone: Any = UNSET, home_municipality: Any = UNSET) -> Any:
    """A person corrects his own names, phone or home municipality; a new municipality must be verified again."""
    _require_self(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list] = {}
    new = {"surname": surname, "given_name": given_name, "patronymic": patronymic}
    new = {k: (v or "").strip() for k, v in new.items() if v is not UNSET}
    _check_names(errors, surname=new.get("surname", user.surname), given_name=new.get("given_name", user.given_name),
                 patronymic=new.get("patronymic", user.patronymic))
    if phone is not UNSET:
        try:
            new["phone"] = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if home_municipality is not UNSET:
        _check_municipality(errors, home_municipality)
    _errors(errors)
    changed: dict[str, list] = {}
    for field, value in new.items():
        if getattr(user, field) != value:
            changed[field] = [getattr(user, field), value]
            setattr(user, field, value)
    new_muni_id = getattr(home_municipality, "pk", None)
    if home_municipality is not UNSET and user.home_municipality_id != new_muni_id:
        changed["home_municipality"] = [user.home_municipality_id, new_muni_id]
        user.home_municipality = home_municipality
        if user.residence_verified:
            user.residence_verified = False
            changed["residence_verified"] = [True, False]
    if changed:
        user.save()
        # names and phone are personal data: the event says what changed, not to what
        record_event(kind="accounts.profile_updated", actor=actor, subject=user,
                     payload={"changed": sorted(changed),
                              **({"home_municipality": changed["home_municipality"]}
                                 if "home_municipality" in changed else {})})
    return user


@transaction.atomic
def account_anonymise(*, actor: Any, user: Any, password: str) -> Any:
    """Delete a resident's account the lawful way: wipe every personal field and close the login.

    The row stays, nameless, so that his votes, ideas and reports still count and still read as
    "a deleted user"; his tokens are revoked and his second-factor devices removed.
    """
    _require_self(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("The password is wrong.")]})
    if user.is_staff:
        raise PermissionDenied(_("A staff account is closed by an administrator, not deleted by its owner."))
    now = timezone.now()
    user.email = f"deleted-{user.pk}@anonymised.invalid"
    user.surname = user.given_name = user.patronymic = user.phone = ""
    user.home_municipality = None
    user.residence_verified = user.email_confirmed = False
    user.is_active = False
    user.preferred_language = ""
    user.set_unusable_password()
    user.save()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(kind="accounts.account_anonymised", actor=None, subject=user, payload={})
    return user


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


# --- two-factor authentication ----------------------------------------------------------------------------

def totp_pending(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def has_two_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_start(*, actor: Any) -> TOTPDevice:
    """Make a new, not yet confirmed authenticator for the actor (replacing an earlier unconfirmed one)."""
    _require_self(actor, actor)
    if has_two_factor(actor):
        raise ValidationError(_("Two-factor authentication is already on. Turn it off first to change the app."),
                              code="already_on")
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)


def _new_backup_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _i in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, actor: Any, code: str) -> list[str]:
    """Turn two-factor on once the app shows a right code; returns the one-time backup codes to write down."""
    device = totp_pending(actor)
    if device is None:
        raise ValidationError({"code": [_("Start the setup again: there is no authenticator waiting.")]})
    if not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError({"code": [_("The code is wrong. Check the time on your phone and try again.")]})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(actor)
    record_event(kind="accounts.two_factor_enabled", actor=actor, subject=actor, payload={})
    return codes


@transaction.atomic
def backup_codes_regenerate(*, actor: Any, password: str) -> list[str]:
    """New backup codes (the old ones stop working)."""
    if not actor.check_password(password or ""):
        raise ValidationError({"password": [_("The password is wrong.")]})
    if not has_two_factor(actor):
        raise ValidationError(_("Two-factor authentication is off."), code="off")
    codes = _new_backup_codes(actor)
    record_event(kind="accounts.backup_codes_regenerated", actor=actor, subject=actor, payload={})
    return codes


@transaction.atomic
def totp_disable(*, actor: Any, password: str) -> None:
    """Turn two-factor off: every authenticator and backup code of the actor is removed."""
    if not actor.check_password(password or ""):
        raise ValidationError({"password": [_("The password is wrong.")]})
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    record_event(kind="accounts.two_factor_disabled", actor=actor, subject=actor, payload={})


def second_factor_verify(*, user: Any, code: str) -> Any:
    """The device (authenticator or a backup code, which is used up) that accepts ``code``, or None."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                record_event(kind="accounts.backup_code_used", actor=user, subject=user, payload={})
                return device
    return None


# --- OpenID Connect ---------------------------------------------------------------------------------------

@transaction.atomic
def oidc_resident_create(*, provider: OidcProvider, email: str, surname: str, given_name: str,
                         patronymic: str = "") -> Any:
    """A resident first seen through an identity provider: his e-mail is vouched for by it, so confirmed."""
    email = normalise_email(email)
    if not email or User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [_("An account with this e-mail already exists.")]})
    user = User(email=email, surname=(surname or "").strip()[:100] or email.split("@")[0][:100],
                given_name=(given_name or "").strip()[:100], patronymic=(patronymic or "").strip()[:100],
                is_staff=False, email_confirmed=True)
    user.set_unusable_password()
    user.save()
    record_event(kind="accounts.resident_registered", actor=user, subject=user,
                 payload={"via": "oidc", "provider": provider.slug})
    return user


@transaction.atomic
def email_confirm_by_provider(*, user: Any, provider: OidcProvider) -> Any:
    """An identity provider vouched for this e-mail: mark it confirmed."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
        record_event(kind="accounts.email_confirmed", actor=user, subject=user,
                     payload={"via": "oidc", "provider": provider.slug})
    return user
