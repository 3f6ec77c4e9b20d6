"""The checks of the systems' services: a system's fields, the role its service account acts in, token requests.

Every check collects its messages by field (the names the pages' forms and the API's serializers use), so a form
with several mistakes shows them all at once and nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

from krai.integration.models import ExternalSystem, SystemKind
from krai.integration.rates import clean_rate
from krai.org.models import Block, Municipality, Organisation, Role, ScopeKind, User
from krai.org.services import ALLOWED_SCOPES

MANAGE = "integration.manage_systems"
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
RESERVED_CODES = frozenset({"new"})  # the pages' own paths under systems/
ACCOUNT_DOMAIN = "systems.invalid"  # a reserved domain (RFC 2606): no mail ever reaches it, no reset link either
#: the roles a system's service account may act in: what a department's or a control system does; never an
#: administrator or the governor (a token that could hand out roles or speak for the governor)
SYSTEM_ROLES = (Role.EXECUTOR, Role.HEAD, Role.VICE_GOVERNOR, Role.CONTROLLER)
#: the argument names of the access (the services', the forms' and the API's) and the role assignment's own
ACCESS_TARGETS = {"access_organisation": "organisation", "access_municipality": "municipality",
                  "access_block": "block"}
MAX_PAYLOAD_DAYS = 3650
TEXT_LIMITS = {"name": 300, "contact_name": 200, "description": 5000}


def require_manager(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(MANAGE):
        raise PermissionDenied(_("Only an administrator may register and change external systems."))


def account_email(code: str) -> str:
    return f"system.{code}@{ACCOUNT_DOMAIN}"


def raise_if(errors: dict[str, list[Any]]) -> None:
    if errors:
        raise ValidationError(errors)


def check_code(code: str, errors: dict[str, list[Any]]) -> str:
    code = (code or "").strip().lower()
    if not CODE.match(code):
        errors.setdefault("code", []).append(_("A code is 2–63 Latin letters, digits and hyphens, starting with a "
                                               "letter or a digit, e.g. sed-delo."))
    elif code in RESERVED_CODES:
        errors.setdefault("code", []).append(_("This code is reserved: choose another."))
    elif (ExternalSystem.objects.filter(code=code).exists()
          or User.objects.filter(email__iexact=account_email(code)).exists()):
        errors.setdefault("code", []).append(_("A system with this code is already registered."))
    return code


def check_fields(values: dict[str, Any], errors: dict[str, list[Any]]) -> dict[str, Any]:
    """Clean the given fields of a system (only those present in ``values``); return the cleaned values."""
    clean = dict(values)
    for name, limit in TEXT_LIMITS.items():
        if name in clean:
            clean[name] = (clean[name] or "").strip()
            if len(clean[name]) > limit:
                errors.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": limit})
    if "name" in clean and not clean["name"]:
        errors.setdefault("name", []).append(_("Name the system as its owners call it."))
    if "kind" in clean and clean["kind"] not in SystemKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of system."))
    organisation = clean.get("organisation")
    if organisation is not None and not organisation.is_active:
        errors.setdefault("organisation", []).append(_("This organisation is no longer active."))
    if clean.get("contact_email"):
        clean["contact_email"] = clean["contact_email"].strip()
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            errors.setdefault("contact_email", []).append(_("Enter a valid e-mail address."))
    if "rate_limit" in clean:
        try:
            clean["rate_limit"] = clean_rate(clean["rate_limit"])
        except ValueError as exc:
            errors.setdefault("rate_limit", []).append(str(exc.args[0]))
    if clean.get("answer_url"):
        clean["answer_url"] = clean["answer_url"].strip()
        try:
            URLValidator(schemes=["http", "https"])(clean["answer_url"])
        except ValidationError:
            errors.setdefault("answer_url", []).append(_("Enter an http or https address."))
        if len(clean["answer_url"]) > 200:
            errors.setdefault("answer_url", []).append(_("At most %(n)d characters.") % {"n": 200})
    days = clean.get("payload_days")
    if days is not None and not 1 <= days <= MAX_PAYLOAD_DAYS:
        errors.setdefault("payload_days", []).append(
            _("Keep payloads from 1 to %(n)d days, or leave it empty for the installation's setting.")
            % {"n": MAX_PAYLOAD_DAYS})
    return clean


def check_access(role: str, scope: str, targets: dict[str, Organisation | Municipality | Block | None],
                 errors: dict[str, list[Any]]) -> None:
    """The role and scope the service account will act in: a role a system may hold, a scope that role takes, and
    exactly the target that scope names (an active organisation)."""
    if role not in SYSTEM_ROLES:
        errors.setdefault("access_role", []).append(
            _("A system acts as an executor, a head, a vice-governor or a controller; never as an administrator or "
              "the governor."))
        return
    if scope not in ScopeKind.values or scope not in ALLOWED_SCOPES[role]:
        errors.setdefault("access_scope", []).append(
            _("The role %(role)s cannot act within this scope; choose one of: %(scopes)s.")
            % {"role": Role(role).label,
               "scopes": ", ".join(str(ScopeKind(s).label) for s in ScopeKind.values if s in ALLOWED_SCOPES[role])})
        return
    for field, name in ACCESS_TARGETS.items():
        value = targets.get(field)
        if name == scope and value is None:
            errors.setdefault(field, []).append(_("Choose the %(target)s the system acts in.")
                                                % {"target": ScopeKind(scope).label})
        elif name != scope and value is not None:
            errors.setdefault(field, []).append(_("This scope takes no %(target)s: leave it empty.")
                                                % {"target": ScopeKind(name).label})
    organisation = targets.get("access_organisation")
    if scope == ScopeKind.ORGANISATION and organisation is not None and not organisation.is_active:
        errors.setdefault("access_organisation", []).append(_("This organisation is no longer active."))


def remap_access_error(error: ValidationError) -> ValidationError:
    """A refusal of ``org.services.role_assign`` under the names of the system's form."""
    names = {"role": "access_role", "scope": "access_scope", "user": "access_role",
             **{name: field for field, name in ACCESS_TARGETS.items()}}
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(field, field): messages for field, messages in error.message_dict.items()})
