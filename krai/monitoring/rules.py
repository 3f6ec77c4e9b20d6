"""Who may open the monitors: staff of the region's bodies (each monitor scopes what they see)."""

import rules

from krai.org.rules import is_staff_member

rules.add_perm("monitoring.access", is_staff_member)
