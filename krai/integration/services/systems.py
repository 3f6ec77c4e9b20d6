"""Registered external systems: registering one with its service account and the role it acts in, changing it,
deactivating and reactivating it, issuing and revoking its tokens. Administrators only (``integration.manage_systems``).

A system acts through its **service account**: a staff ``org.User`` with an unusable password and an address in a
reserved domain (``system.<code>@systems.invalid``), so it can never sign in through the pages nor receive a reset
link; its only way in is a system token. The account holds exactly one role within one scope (``org``'s
``role_assign``), which decides what the system may see and change. Deactivating the system closes the account, so
its tokens stop working at once; reactivating opens it again (tokens not revoked and not expired work again).

Every function checks the permission, validates everything before writing (refusals by field: the names of the
page's form and of the API), writes, and records ``integration.system_*`` in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from krai.accounts.models import ApiToken
from krai.accounts.services.tokens import IssuedToken, token_create, token_revoke
from krai.core.events.services import record_event
from krai.integration.models import ExternalSystem, SystemKind
from krai.integration.services._systems_checks import (
    ACCESS_TARGETS,
    account_email,
    check_access,
    check_code,
    check_fields,
    raise_if,
    remap_access_error,
    require_manager,
)
from krai.org.models import Block, Municipality, Organisation, RoleAssignment, User
from krai.org.services import (
    UNSET,
    Unset,
    role_assign,
    role_revoke,
    user_create,
    user_deactivate,
    user_reactivate,
    user_update,
)

#: the fields of a system an administrator changes (its code is fixed: the account and the URLs carry it)
FIELDS = ("name", "kind", "description", "organisation", "contact_name", "contact_email", "rate_limit",
          "answer_url", "payload_days")


def _describe(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _access_payload(assignment: RoleAssignment) -> dict[str, Any]:
    return {"role": assignment.role, "scope": assignment.scope, "organisation": assignment.organisation_id,
            "municipality": assignment.municipality_id, "block": assignment.block_id}


def _grant(actor: Any, account: User, role: str, scope: str,
           targets: dict[str, Organisation | Municipality | Block | None]) -> RoleAssignment:
    try:
        return role_assign(actor=actor, user=account, role=role, scope=scope,
                           **{name: targets.get(field) for field, name in ACCESS_TARGETS.items()})
    except ValidationError as exc:
        raise remap_access_error(exc) from exc


@transaction.atomic
def system_register(*, actor: Any, code: str, name: str, kind: str = SystemKind.OTHER,
                    access_role: str, access_scope: str, access_organisation: Organisation | None = None,
                    access_municipality: Municipality | None = None, access_block: Block | None = None,
                    organisation: Organisation | None = None, description: str = "", contact_name: str = "",
                    contact_email: str = "", rate_limit: str = "", answer_url: str = "",
                    payload_days: int | None = None) -> ExternalSystem:
    """Register a system: its service account (no password, never signs in through the pages) acting in one role
    within one scope (``access_*``), and the system's row."""
    require_manager(actor)
    errors: dict[str, list[Any]] = {}
    code = check_code(code, errors)
    values = check_fields({"name": name, "kind": kind, "description": description, "organisation": organisation,
                           "contact_name": contact_name, "contact_email": contact_email, "rate_limit": rate_limit,
                           "answer_url": answer_url, "payload_days": payload_days}, errors)
    targets = {"access_organisation": access_organisation, "access_municipality": access_municipality,
               "access_block": access_block}
    check_access(access_role, access_scope, targets, errors)
    raise_if(errors)
    account = user_create(actor=actor, email=account_email(code), surname=values["name"][:100],
                          given_name=code[:100], is_staff=True)  # no password: an unusable one
    assignment = _grant(actor, account, access_role, access_scope, targets)
    system = ExternalSystem(code=code, account=account, **values)
    system.full_clean(validate_unique=False)
    system.save()
    record_event(kind="integration.system_registered", actor=actor, subject=system,
                 payload={"code": code, "kind": system.kind, "account": account.pk,
                          "organisation": system.organisation_id, "rate_limit": system.rate_limit,
                          "access": _access_payload(assignment)})
    return system


@transaction.atomic
def system_update(*, actor: Any, system: ExternalSystem, name: str | Unset = UNSET, kind: str | Unset = UNSET,
                  description: str | Unset = UNSET, organisation: Organisation | Unset | None = UNSET,
                  contact_name: str | Unset = UNSET, contact_email: str | Unset = UNSET,
                  rate_limit: str | Unset = UNSET, answer_url: str | Unset = UNSET,
                  payload_days: int | Unset | None = UNSET, access_role: str | Unset = UNSET,
                  access_scope: str | Unset = UNSET, access_organisation: Organisation | Unset | None = UNSET,
                  access_municipality: Municipality | Unset | None = UNSET,
                  access_block: Block | Unset | None = UNSET) -> ExternalSystem:
    """Change what is given (left out: ``UNSET``, as it was). A new access (``access_role`` with its scope and
    target) replaces the account's roles: what the system may see and change from now on."""
    require_manager(actor)
    system = ExternalSystem.objects.select_for_update().select_related("account").get(pk=system.pk)
    given = {name_: value for name_, value in {
        "name": name, "kind": kind, "description": description, "organisation": organisation,
        "contact_name": contact_name, "contact_email": contact_email, "rate_limit": rate_limit,
        "answer_url": answer_url, "payload_days": payload_days}.items() if value is not UNSET}
    errors: dict[str, list[Any]] = {}
    values = check_fields(given, errors)
    access = None
    if access_role is not UNSET or access_scope is not UNSET:
        if access_role is UNSET or access_scope is UNSET:
            errors.setdefault("access_role" if access_role is UNSET else "access_scope", []).append(
                _("Give the role and the scope together."))
        else:
            targets = {"access_organisation": access_organisation, "access_municipality": access_municipality,
                       "access_block": access_block}
            targets = {field: (None if value is UNSET else value) for field, value in targets.items()}
            check_access(access_role, access_scope, targets, errors)
            access = (access_role, access_scope, targets)
    raise_if(errors)
    changed = {field: [_describe(getattr(system, field)), _describe(value)] for field, value in values.items()
               if getattr(system, field) != value}
    for field in changed:
        setattr(system, field, values[field])
    held = list(RoleAssignment.objects.filter(user=system.account))
    if access is not None:
        role, scope, targets = access
        wanted = {"role": role, "scope": scope, **{name_: _describe(targets[field])
                                                   for field, name_ in ACCESS_TARGETS.items()}}
        if [_access_payload(a) for a in held] != [wanted]:
            for assignment in held:
                role_revoke(actor=actor, assignment=assignment)
            changed["access"] = [[_access_payload(a) for a in held],
                                 _access_payload(_grant(actor, system.account, role, scope, targets))]
    if not changed:
        return system
    if "name" in changed:
        user_update(actor=actor, user=system.account, surname=system.name[:100])
    system.full_clean(exclude=["account"], validate_unique=False)
    system.save()
    record_event(kind="integration.system_changed", actor=actor, subject=system,
                 payload={"code": system.code, "changed": changed})
    return system


@transaction.atomic
def system_deactivate(*, actor: Any, system: ExternalSystem) -> ExternalSystem:
    """Stop a system: its account is closed, so every token of it stops working at once."""
    require_manager(actor)
    system = ExternalSystem.objects.select_for_update().select_related("account").get(pk=system.pk)
    if not system.is_active:
        raise ValidationError({"is_active": [_("This system is already deactivated.")]})
    user_deactivate(actor=actor, user=system.account)
    system.is_active = False
    system.save(update_fields=["is_active", "updated_at"])
    record_event(kind="integration.system_deactivated", actor=actor, subject=system,
                 payload={"code": system.code, "account": system.account_id})
    return system


@transaction.atomic
def system_reactivate(*, actor: Any, system: ExternalSystem) -> ExternalSystem:
    """Let a deactivated system in again: its account is opened, and its tokens that are neither revoked nor expired
    work again."""
    require_manager(actor)
    system = ExternalSystem.objects.select_for_update().select_related("account").get(pk=system.pk)
    if system.is_active:
        raise ValidationError({"is_active": [_("This system is active.")]})
    system.account = user_reactivate(actor=actor, user=system.account)
    system.is_active = True
    system.save(update_fields=["is_active", "updated_at"])
    record_event(kind="integration.system_reactivated", actor=actor, subject=system,
                 payload={"code": system.code, "account": system.account_id, "account_reopened": True})
    return system


@transaction.atomic
def system_token_issue(*, actor: Any, system: ExternalSystem, name: str, scopes: list[str],
                       expires_at: datetime | None = None) -> IssuedToken:
    """Issue a token of the system's account (kind ``system``); the whole key is in the answer, once."""
    require_manager(actor)
    if not system.is_active:
        raise ValidationError({"name": [_("The system is deactivated: reactivate it before issuing a token.")]})
    issued = token_create(actor=actor, user=system.account, name=name, scopes=scopes, expires_at=expires_at,
                          kind=ApiToken.Kind.SYSTEM)
    record_event(kind="integration.system_token_issued", actor=actor, subject=system,
                 payload={"code": system.code, "token": issued.token.pk, "prefix": issued.token.prefix,
                          "scopes": issued.token.scopes,
                          "expires_at": expires_at.isoformat() if expires_at else None})
    return issued


@transaction.atomic
def system_token_revoke(*, actor: Any, system: ExternalSystem, token: ApiToken) -> ApiToken:
    """Revoke one of the system's tokens at once (revoking a revoked one changes nothing)."""
    require_manager(actor)
    if token.user_id != system.account_id:
        raise ValidationError({"token": [_("This token is not one of this system's.")]})
    was_active = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).exists()
    token = token_revoke(actor=actor, token=token)
    if was_active:
        record_event(kind="integration.system_token_revoked", actor=actor, subject=system,
                     payload={"code": system.code, "token": token.pk, "prefix": token.prefix})
    return token
