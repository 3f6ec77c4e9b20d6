"""Every write of the accounts area: registration, confirmation, profile, anonymisation, tokens, two-factor.

Each function is keyword-only and atomic, refuses with ``PermissionDenied`` or ``ValidationError`` (keyed by
field, in the user's language) before anything is written, and records a domain event (``accounts.*``) in
the same transaction. E-mails leave after the commit.
"""

from krai.accounts.services._common import (
    BACKUP_CODES,
    CONFIRMATION_MAX_AGE,
    UNSET,
    normalise_email,
    normalise_phone,
)
from krai.accounts.services.profile import account_anonymise, profile_update
from krai.accounts.services.registration import (
    confirmation_send,
    confirmation_token_make,
    confirmation_url,
    email_confirm,
    email_confirm_by_provider,
    oidc_resident_create,
    resident_register,
)
from krai.accounts.services.tokens import IssuedToken, parse_token, token_create, token_find, token_revoke, token_touch
from krai.accounts.services.two_factor import (
    backup_codes_regenerate,
    has_two_factor,
    second_factor_verify,
    totp_confirm,
    totp_disable,
    totp_pending,
    totp_start,
)

__all__ = [
    "BACKUP_CODES", "CONFIRMATION_MAX_AGE", "UNSET", "IssuedToken",
    "account_anonymise", "backup_codes_regenerate", "confirmation_send", "confirmation_token_make",
    "confirmation_url", "email_confirm", "email_confirm_by_provider", "has_two_factor", "normalise_email",
    "normalise_phone", "oidc_resident_create", "parse_token", "profile_update", "resident_register",
    "second_factor_verify", "token_create", "token_find", "token_revoke", "token_touch", "totp_confirm",
    "totp_disable", "totp_pending", "totp_start",
]
