"""Consolidation's permissions: reading it is ``integration.view_consolidation`` (krai/integration/rules.py);
pushing now and resending everything are for the same people — administrators and the controllers."""

import rules

from krai.org.rules import is_administrator, is_controller, is_staff_member

rules.add_perm("consolidation.push", is_staff_member & (is_administrator | is_controller))
