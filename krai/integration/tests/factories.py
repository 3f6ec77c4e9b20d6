"""Shared test data of integration: an administrator, a controller, and a registered external system with its
service account and a system token (rows written directly, as fixtures, not through the services)."""

from __future__ import annotations

from typing import Any

from krai.accounts.models import ApiToken
from krai.accounts.services.tokens import IssuedToken, token_create
from krai.integration.models import ExternalSystem, SystemKind
from krai.org.models import Organisation, Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign


def administrator():
    """An administrator of the region (registers systems, webhooks; manages access)."""
    user = StaffFactory()
    assign(user, Role.ADMINISTRATOR)
    return user


def controller():
    """A controller of the Department of Control (reads the exchange log, loads packages, consolidation)."""
    user = StaffFactory()
    assign(user, Role.CONTROLLER)
    return user


def external_system(code: str = "sed-economy", *, kind: str = SystemKind.DOCFLOW,
                    organisation: Organisation | None = None, role: str = Role.CONTROLLER, **fields: Any
                    ) -> ExternalSystem:
    """A registered system whose service account acts as ``role`` (over the region, or ``organisation``'s subtree)."""
    account = StaffFactory(email=f"system.{code}@systems.krai.test", surname="Система", given_name=code)
    if organisation is not None:
        assign(account, role, organisation=organisation)
    else:
        assign(account, role)
    return ExternalSystem.objects.create(code=code, name=fields.pop("name", f"Система {code}"), kind=kind,
                                         account=account, organisation=organisation, **fields)


def system_token(system: ExternalSystem, scopes: list[str] | None = None) -> IssuedToken:
    """A system token of ``system``'s account (issued by an administrator), by default able to read and write
    integration."""
    return token_create(actor=administrator(), user=system.account, name=f"{system.code} token",
                        scopes=scopes or ["read", "write", "integration:write"], kind=ApiToken.Kind.SYSTEM)


def body(code: str = "", **fields: Any) -> Organisation:
    return OrganisationFactory(**({"code": code} if code else {}), **fields)
