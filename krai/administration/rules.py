"""Administration's permissions (django-rules): access management, temporary deputies, employee efficiency.

Administrators change roles and scopes (``org.manage_users``, the same permission the structure's services check);
administrators and the Department of Control review who can see what. Temporary deputies are appointed by
administrators. Efficiency is read by the heads, vice-governors, the governor, controllers and administrators,
each within his scope.
"""

import rules

from krai.org.rules import (
    is_administrator,
    is_controller,
    is_governor,
    is_head,
    is_staff_member,
    is_vice_governor,
)

rules.add_perm("administration.manage_access", is_staff_member & is_administrator)
rules.add_perm("administration.review_access", is_staff_member & (is_administrator | is_controller))
rules.add_perm("administration.manage_deputies", is_staff_member & is_administrator)
rules.add_perm("administration.view_efficiency",
               is_staff_member & (is_administrator | is_controller | is_governor | is_vice_governor | is_head))

from krai.administration import rules_access, rules_deputies, rules_efficiency  # noqa: E402, F401 — the parts' own
