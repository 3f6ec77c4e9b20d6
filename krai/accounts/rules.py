"""Who may do what with accounts; the names guard pages, API and services alike."""

import rules

from krai.org.rules import is_administrator


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and token.user_id == user.pk


rules.add_perm("accounts.issue_system_token", is_administrator)
rules.add_perm("accounts.revoke_apitoken", rules.is_authenticated & (owns_token | is_administrator))
