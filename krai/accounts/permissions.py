"""Re-export of the token scope permission, for areas that look for permissions here."""

from krai.accounts.authentication import TokenScopes

__all__ = ["TokenScopes"]
