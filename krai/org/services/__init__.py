"""Every write of the org area: one function per use case, keyword-only, atomic, permission-checked,
recorded as a domain event (``org.<what_happened>``) in the same transaction.

Structure changes need ``org.change_structure``; people, posts' holders and roles need
``org.manage_users``. Refusals raise Django's ``PermissionDenied``; bad input raises ``ValidationError``
(keyed by field) before anything is written. Update functions take only the fields to change:
an argument left out (``UNSET``) stays as it was, so ``None`` can clear a field.
"""

from krai.org.services._common import UNSET, Unset
from krai.org.services.geography import (
    municipality_create,
    municipality_deactivate,
    municipality_update,
    region_update,
)
from krai.org.services.people import (
    ALLOWED_SCOPES,
    role_assign,
    role_revoke,
    user_create,
    user_deactivate,
    user_reactivate,
    user_update,
)
from krai.org.services.residence import (
    residence_assert_by_provider,
    residence_refuse,
    residence_request,
    residence_verify,
)
from krai.org.services.structure import (
    block_create,
    block_deactivate,
    block_update,
    organisation_create,
    organisation_deactivate,
    organisation_update,
    position_abolish,
    position_assign,
    position_create,
    position_update,
    position_vacate,
)

__all__ = [
    "ALLOWED_SCOPES",
    "UNSET",
    "Unset",
    "block_create",
    "block_deactivate",
    "block_update",
    "municipality_create",
    "municipality_deactivate",
    "municipality_update",
    "organisation_create",
    "organisation_deactivate",
    "organisation_update",
    "position_abolish",
    "position_assign",
    "position_create",
    "position_update",
    "position_vacate",
    "region_update",
    "residence_assert_by_provider",
    "residence_refuse",
    "residence_request",
    "residence_verify",
    "role_assign",
    "role_revoke",
    "user_create",
    "user_deactivate",
    "user_reactivate",
    "user_update",
]
