"""Residents' registration and the e-mail confirmation link; residents first seen through OpenID Connect."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from krai.accounts.models import OidcProvider
from krai.accounts.services._common import (
    CONFIRMATION_MAX_AGE,
    CONFIRMATION_SALT,
    User,
    _check_municipality,
    _check_names,
    _errors,
    normalise_email,
    normalise_phone,
)
from krai.core.events.services import record_event

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
    try:
        with transaction.atomic():  # a twin registration racing this one loses on the unique index
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"email": [_("An account with this e-mail already exists. Log in or reset the "
                                           "password.")]}) from exc
    record_event(kind="accounts.resident_registered", actor=user, subject=user,
                 payload={"home_municipality": user.home_municipality_id, "consent": True,
                          "consent_at": timezone.now().isoformat()})
    confirmation_send(user=user)
    return user


def confirmation_token_make(user: Any) -> str:
    """A signed, timestamped token naming the user and the e-mail it confirms (a changed e-mail voids it)."""
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign_object({"u": user.pk, "e": _email_digest(user.email)})


def _email_digest(email: str) -> str:
    """The e-mail in the link only as a digest: links end up in logs, addresses should not."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:20]


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
    if user is None or not secrets.compare_digest(_email_digest(user.email), str(data.get("e", ""))):
        raise ValidationError(_("This link is not valid."), code="invalid")
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
        record_event(kind="accounts.email_confirmed", actor=user, subject=user, payload={})
    return user


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
