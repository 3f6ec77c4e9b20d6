"""Writes of the structure: blocks, organisations (the tree) and positions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.org.models import Block, Municipality, Organisation, Position, Role, RoleAssignment, ScopeKind, User
from krai.org.services._common import (
    CHANGE_STRUCTURE,
    MANAGE_USERS,
    UNSET,
    Unset,
    apply_changes,
    field_error,
    require,
    validate,
)

PATH_STEP = 7  # "000123." per level
PATH_MAX = Organisation._meta.get_field("path").max_length
ORG_EXCLUDE = ("path", "depth")


# --- blocks ---------------------------------------------------------------------------------------

def _set_vice_governor_role(*, block: Block, old: User | None, new: User | None) -> None:
    """The vice-governor named on a block acts in the block: grant the role to the new one, take the old one's."""
    if old is not None and old != new:
        RoleAssignment.objects.filter(user=old, role=Role.VICE_GOVERNOR, scope=ScopeKind.BLOCK, block=block).delete()
        old.__dict__.pop("_krai_scope", None)
    if new is not None:
        RoleAssignment.objects.get_or_create(user=new, role=Role.VICE_GOVERNOR, scope=ScopeKind.BLOCK, block=block)
        new.__dict__.pop("_krai_scope", None)


def _check_vice_governor(user: User | None) -> None:
    if user is not None and not (user.is_staff and user.is_active):
        raise field_error("vice_governor", _("A vice-governor must be an active member of staff."))


@transaction.atomic
def block_create(*, actor: Any, code: str, name: str, name_en: str = "", sort_order: int = 0,
                 vice_governor: User | None = None) -> Block:
    """Open a vice-governor's block; the vice-governor named gets the role within it."""
    require(actor, CHANGE_STRUCTURE)
    _check_vice_governor(vice_governor)
    block = Block(code=code, name=name, name_en=name_en, sort_order=sort_order, vice_governor=vice_governor)
    validate(block)
    block.save()
    _set_vice_governor_role(block=block, old=None, new=vice_governor)
    record_event(kind="org.block_created", actor=actor, subject=block,
                 payload={"code": block.code, "name": block.name,
                          "vice_governor": vice_governor.pk if vice_governor else None})
    return block


@transaction.atomic
def block_update(*, actor: Any, block: Block, code: str | Unset = UNSET, name: str | Unset = UNSET,
                 name_en: str | Unset = UNSET, sort_order: int | Unset = UNSET,
                 vice_governor: User | Unset | None = UNSET) -> Block:
    """Change a block; a new vice-governor takes over the role within it from the previous one."""
    require(actor, CHANGE_STRUCTURE)
    block = Block.objects.select_for_update(of=("self",)).select_related("vice_governor").get(pk=block.pk)
    old_vice = block.vice_governor
    if vice_governor is not UNSET:
        _check_vice_governor(vice_governor)
    changed = apply_changes(block, {"code": code, "name": name, "name_en": name_en, "sort_order": sort_order,
                                    "vice_governor": vice_governor})
    if changed:
        validate(block)
        block.save()
        if "vice_governor" in changed:
            _set_vice_governor_role(block=block, old=old_vice, new=block.vice_governor)
        record_event(kind="org.block_updated", actor=actor, subject=block, payload={"changed": changed})
    return block


@transaction.atomic
def block_deactivate(*, actor: Any, block: Block) -> Block:
    """Close a block that no active organisation belongs to any more."""
    require(actor, CHANGE_STRUCTURE)
    block = Block.objects.select_for_update().get(pk=block.pk)
    if not block.is_active:
        return block
    bodies = Organisation.objects.filter(block=block, is_active=True).count()
    if bodies:
        raise field_error("block", _("%(count)d active organisations belong to this block; move them to "
                                     "another block first.") % {"count": bodies})
    block.is_active = False
    block.save(update_fields=["is_active", "updated_at"])
    record_event(kind="org.block_deactivated", actor=actor, subject=block, payload={"code": block.code})
    return block


# --- organisations --------------------------------------------------------------------------------

def _check_targets(*, parent: Organisation | None = None, block: Block | None = None,
                   municipality: Municipality | None = None) -> None:
    """A new place in the structure must be a living one."""
    if parent is not None and not parent.is_active:
        raise field_error("parent", _("An organisation cannot be placed under an inactive one."))
    if block is not None and not block.is_active:
        raise field_error("block", _("This block is closed."))
    if municipality is not None and not municipality.is_active:
        raise field_error("municipality", _("This municipality is no longer active."))


def _check_kind(organisation: Organisation) -> None:
    if organisation.kind == Organisation.Kind.UNIT and organisation.parent_id is None:
        raise field_error("parent", _("A unit must belong to an organisation."))
    if organisation.kind == Organisation.Kind.MUNICIPAL_ADMINISTRATION and organisation.municipality_id is None:
        raise field_error("municipality", _("A municipal administration must name its municipality."))


@transaction.atomic
def organisation_create(*, actor: Any, code: str, name: str, kind: str, parent: Organisation | None = None,
                        block: Block | None = None, municipality: Municipality | None = None,
                        short_name: str = "", name_en: str = "", inn: str = "", email: str = "",
                        phone: str = "", website: str = "") -> Organisation:
    """Add a body or a unit; a unit takes its parent's block unless one is named."""
    require(actor, CHANGE_STRUCTURE)
    if parent is not None:
        parent = Organisation.objects.select_for_update().get(pk=parent.pk)
        if len(parent.path) + PATH_STEP > PATH_MAX:
            raise field_error("parent", _("The structure cannot go deeper under this organisation."))
        if block is None:
            block = parent.block
    _check_targets(parent=parent, block=block, municipality=municipality)
    organisation = Organisation(code=code, name=name, kind=kind, parent=parent, block=block,
                                municipality=municipality, short_name=short_name, name_en=name_en, inn=inn,
                                email=email, phone=phone, website=website)
    _check_kind(organisation)
    validate(organisation, exclude=ORG_EXCLUDE)
    organisation.save()
    record_event(kind="org.organisation_created", actor=actor, subject=organisation,
                 payload={"code": organisation.code, "name": organisation.name, "kind": organisation.kind,
                          "parent": parent.pk if parent else None, "block": block.pk if block else None})
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, code: str | Unset = UNSET,
                        name: str | Unset = UNSET, kind: str | Unset = UNSET,
                        parent: Organisation | Unset | None = UNSET, block: Block | Unset | None = UNSET,
                        municipality: Municipality | Unset | None = UNSET, short_name: str | Unset = UNSET,
                        name_en: str | Unset = UNSET, inn: str | Unset = UNSET, email: str | Unset = UNSET,
                        phone: str | Unset = UNSET, website: str | Unset = UNSET) -> Organisation:
    """Change an organisation, including moving it (with its subtree) under another parent.

    A move under itself or under one of its own units is refused. When the block changes, the units
    below that were in the old block follow it, so that the vice-governor's scope stays whole.
    """
    require(actor, CHANGE_STRUCTURE)
    # lock the row and the new parent, then read their paths afresh: two concurrent moves cannot make a cycle
    lock_ids = [organisation.pk] + ([parent.pk] if isinstance(parent, Organisation) else [])
    locked = {o.pk: o for o in Organisation.objects.select_for_update().filter(pk__in=lock_ids).order_by("pk")}
    organisation = Organisation.objects.select_related("parent", "block", "municipality").get(pk=organisation.pk)
    if isinstance(parent, Organisation):
        parent = locked[parent.pk]
        if parent.pk == organisation.pk or parent.path.startswith(organisation.path):
            raise field_error("parent", _("An organisation cannot be placed under itself or one of its own units."))
        deepest = (Organisation.objects.filter(path__startswith=organisation.path)
                   .aggregate(longest=Max(Length("path")))["longest"] or len(organisation.path))
        if len(parent.path) + deepest - len(organisation.path) + PATH_STEP > PATH_MAX:
            raise field_error("parent", _("The structure would become too deep under this organisation."))
        if block is UNSET and parent.block_id != organisation.block_id and organisation.kind == Organisation.Kind.UNIT:
            block = parent.block  # a unit moved to another body joins that body's block
    old_block_id = organisation.block_id
    changed = apply_changes(organisation, {
        "code": code, "name": name, "kind": kind, "parent": parent, "block": block, "municipality": municipality,
        "short_name": short_name, "name_en": name_en, "inn": inn, "email": email, "phone": phone,
        "website": website,
    })
    if not changed:
        return organisation
    _check_targets(parent=organisation.parent if "parent" in changed else None,
                   block=organisation.block if "block" in changed else None,
                   municipality=organisation.municipality if "municipality" in changed else None)
    _check_kind(organisation)
    validate(organisation, exclude=ORG_EXCLUDE)
    old_path = organisation.path
    organisation.save()  # keeps path and depth of the row and its subtree
    if "block" in changed:
        (Organisation.objects.filter(path__startswith=organisation.path, block_id=old_block_id)
         .exclude(pk=organisation.pk).update(block=organisation.block))
    payload: dict[str, Any] = {"changed": changed}
    if organisation.path != old_path:
        payload["moved"] = {"from": old_path, "to": organisation.path}
    record_event(kind="org.organisation_updated", actor=actor, subject=organisation, payload=payload)
    return organisation


@transaction.atomic
def organisation_deactivate(*, actor: Any, organisation: Organisation) -> Organisation:
    """Liquidate an organisation and its units (rows stay, for the history of what they did)."""
    require(actor, CHANGE_STRUCTURE)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.is_active:
        return organisation
    count = Organisation.objects.filter(path__startswith=organisation.path, is_active=True).update(is_active=False)
    organisation.is_active = False
    record_event(kind="org.organisation_deactivated", actor=actor, subject=organisation,
                 payload={"code": organisation.code, "organisations": count})
    return organisation


# --- positions ------------------------------------------------------------------------------------

def _check_head(*, organisation: Organisation, is_head: bool, exclude_pk: int | None = None) -> None:
    if is_head and Position.objects.filter(organisation=organisation, is_head=True).exclude(pk=exclude_pk).exists():
        raise field_error("is_head", _("This organisation already has a head position."))


def _check_holder(holder: User) -> None:
    if not (holder.is_active and holder.is_staff):
        raise field_error("holder", _("Only an active member of staff may hold a position."))


@transaction.atomic
def position_create(*, actor: Any, organisation: Organisation, title: str, title_en: str = "",
                    is_head: bool = False, sort_order: int = 0, holder: User | None = None) -> Position:
    """Add a post to an organisation's staffing (a vacancy unless a holder is named)."""
    require(actor, CHANGE_STRUCTURE)
    if holder is not None:
        require(actor, MANAGE_USERS)
        _check_holder(holder)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.is_active:
        raise field_error("organisation", _("This organisation is no longer active."))
    _check_head(organisation=organisation, is_head=is_head)
    position = Position(organisation=organisation, title=title, title_en=title_en, is_head=is_head,
                        sort_order=sort_order, holder=holder)
    validate(position)
    position.save()
    record_event(kind="org.position_created", actor=actor, subject=position,
                 payload={"organisation": organisation.pk, "title": title, "is_head": is_head,
                          "holder": holder.pk if holder else None})
    return position


@transaction.atomic
def position_update(*, actor: Any, position: Position, title: str | Unset = UNSET, title_en: str | Unset = UNSET,
                    is_head: bool | Unset = UNSET, sort_order: int | Unset = UNSET) -> Position:
    """Rename or reorder a post, or make it the head's."""
    require(actor, CHANGE_STRUCTURE)
    position = Position.objects.select_for_update().get(pk=position.pk)
    Organisation.objects.select_for_update().get(pk=position.organisation_id)  # serialises head checks
    if is_head is True:
        _check_head(organisation=position.organisation, is_head=True, exclude_pk=position.pk)
    changed = apply_changes(position, {"title": title, "title_en": title_en, "is_head": is_head,
                                       "sort_order": sort_order})
    if changed:
        validate(position)
        position.save()
        record_event(kind="org.position_updated", actor=actor, subject=position, payload={"changed": changed})
    return position


@transaction.atomic
def position_abolish(*, actor: Any, position: Position) -> None:
    """Remove a post from the staffing (its holder, if any, is left without it)."""
    require(actor, CHANGE_STRUCTURE)
    position = Position.objects.select_for_update().get(pk=position.pk)
    record_event(kind="org.position_abolished", actor=actor, subject=position.organisation,
                 payload={"position": position.pk, "title": position.title, "holder": position.holder_id})
    position.delete()


@transaction.atomic
def position_assign(*, actor: Any, position: Position, holder: User) -> Position:
    """Appoint ``holder`` to a post (replacing whoever held it)."""
    require(actor, MANAGE_USERS)
    _check_holder(holder)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.holder_id == holder.pk:
        return position
    previous = position.holder_id
    position.holder = holder
    position.save(update_fields=["holder", "updated_at"])
    record_event(kind="org.position_assigned", actor=actor, subject=position,
                 payload={"holder": holder.pk, "previous": previous, "organisation": position.organisation_id})
    return position


@transaction.atomic
def position_vacate(*, actor: Any, position: Position) -> Position:
    """Free a post: it becomes a vacancy."""
    require(actor, MANAGE_USERS)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.holder_id is None:
        return position
    previous = position.holder_id
    position.holder = None
    position.save(update_fields=["holder", "updated_at"])
    record_event(kind="org.position_vacated", actor=actor, subject=position,
                 payload={"previous": previous, "organisation": position.organisation_id})
    return position
