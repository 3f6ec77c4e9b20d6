"""The planner's permissions (django-rules). The planner is personal: every member of staff keeps his own; a temporary
deputy acting for someone sees and keeps the principal's (the acting switch makes the request the principal's, marked
with the deputy). Voice orders draft an order that the orders' own permissions then issue or refuse."""

import rules

from krai.org.rules import is_staff_member


@rules.predicate
def owns_entry(user, entry) -> bool:
    return entry is not None and entry.owner_id == user.pk


rules.add_perm("planner.use", is_staff_member)
rules.add_perm("planner.change_entry", is_staff_member & owns_entry)
rules.add_perm("planner.dictate", is_staff_member)
