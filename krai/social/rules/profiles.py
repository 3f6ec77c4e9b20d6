"""Permissions of the community's profiles and the expert registry.

* ``social.view_credential`` (object: a credential) — its owner and the expert verifiers. The kernel's files
  use it for the documents attached to a credential (``krai/core/files/selectors.py``), so proofs of a degree
  or a licence are never seen by anyone else. The public sees a verified credential's title, issuer and year
  on the profile page, through the selectors, not through this rule.
* ``social.attach_credential`` (object: a credential) — its owner, while it waits for verification.
* ``social.verify_credentials`` (no object) — the expert verifiers (``policy.is_expert_verifier``): the queue
  page, its link in the workspace menu, and the services check it.
* ``social.edit_profile`` (object: the profile's user) — the person himself.

The names avoid Django's own model permissions (``social.change_credential``…), which ``policy`` reads as
"granted by an administrator".
"""

from __future__ import annotations

from typing import Any

import rules

from krai.social import policy


@rules.predicate
def owns_credential(user: Any, credential: Any) -> bool:
    return policy.is_active_user(user) and credential is not None and credential.profile_id == user.pk


@rules.predicate
def credential_pending(user: Any, credential: Any) -> bool:
    return credential is not None and credential.status == "pending"


@rules.predicate
def verifies_experts(user: Any) -> bool:
    return policy.is_expert_verifier(user)


@rules.predicate
def is_self(user: Any, target: Any) -> bool:
    return policy.is_active_user(user) and target is not None and getattr(target, "pk", target) == user.pk


rules.add_perm("social.view_credential", owns_credential | verifies_experts)
rules.add_perm("social.attach_credential", owns_credential & credential_pending)
rules.add_perm("social.verify_credentials", verifies_experts)
rules.add_perm("social.edit_profile", is_self)
