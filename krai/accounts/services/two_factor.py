"""Two-factor authentication: a TOTP authenticator app and one-time backup codes (django-otp devices)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from krai.accounts.services._common import BACKUP_CODES, _require_self
from krai.core.events.services import record_event

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
    device = TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)
    record_event(kind="accounts.two_factor_setup_started", actor=actor, subject=actor, payload={})
    return device


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
