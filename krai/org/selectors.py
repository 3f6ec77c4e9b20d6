"""Reads of the organisation structure that pages, API and other areas share."""

from __future__ import annotations

from django.db.models import QuerySet

from krai.org.models import Block, Municipality, Organisation, Position, User
from krai.org.rules import (  # noqa: F401  (re-exported for other areas' rules)
    is_administrator,
    is_controller,
    is_executor,
    is_expert,
    is_governor,
    is_head,
    is_staff_member,
    is_vice_governor,
)
from krai.org.scopes import Scope, scope_for  # noqa: F401


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.all().order_by("name")


def block_list() -> QuerySet[Block]:
    return Block.objects.select_related("vice_governor").order_by("sort_order", "name")


def organisation_list(*, block_id: int | None = None, kind: str | None = None) -> QuerySet[Organisation]:
    """The public register of bodies: everything active, whoever asks."""
    qs = Organisation.objects.filter(is_active=True).select_related("block", "municipality", "parent")
    if block_id:
        qs = qs.filter(block_id=block_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def organisations_in_scope(user: User) -> QuerySet[Organisation]:
    """The organisations whose internal data (load, discipline, people) ``user`` may see."""
    return Organisation.objects.filter(scope_for(user).q(organisation=""))


def position_list(*, organisation_id: int | None = None) -> QuerySet[Position]:
    qs = Position.objects.select_related("organisation", "holder")
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs


def subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)
