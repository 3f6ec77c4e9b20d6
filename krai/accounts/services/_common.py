"""What the accounts services share: refusals, "not given" arguments, normalising names, phones and e-mails."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

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
