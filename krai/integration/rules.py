"""Integration's permissions (django-rules), shared by its parts' pages, API and services.

Administrators register systems and their webhooks; the Department of Control (controllers) reads the exchange
log, loads document-flow packages and reads the consolidated orders; nobody else sees this section.
"""

import rules

from krai.org.rules import is_administrator, is_controller, is_staff_member

rules.add_perm("integration.access", is_staff_member & (is_administrator | is_controller))
rules.add_perm("integration.manage_systems", is_staff_member & is_administrator)
rules.add_perm("integration.view_exchange", is_staff_member & (is_administrator | is_controller))
rules.add_perm("integration.manage_webhooks", is_staff_member & is_administrator)
rules.add_perm("integration.load_packages", is_staff_member & (is_administrator | is_controller))
rules.add_perm("integration.view_consolidation", is_staff_member & (is_administrator | is_controller))
