"""A document-flow system's channel setting: who issues the orders its packages bring, which body controls them,
the urgency of items without a deadline, and whether packages are accepted at all (administrators only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.integration.docflow.models import DocflowChannel
from krai.integration.models import ExternalSystem
from krai.orders.models import Priority


def _validate(issuer: Any, controller_organisation: Any, priority: str) -> None:
    errors: dict[str, str] = {}
    if issuer is None or not issuer.is_active or not issuer.is_staff:
        errors["issuer"] = _("Choose an active member of staff.")
    elif not issuer.has_perm("orders.add_order"):
        errors["issuer"] = _("This person may not give orders.")
    if controller_organisation is None or not controller_organisation.is_active:
        errors["controller_organisation"] = _("Choose an active organisation.")
    if priority not in Priority.values:
        errors["priority"] = _("Choose an urgency class.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def channel_save(*, actor: Any, system: ExternalSystem, issuer: Any, controller_organisation: Any,
                 priority: str, is_active: bool = True) -> DocflowChannel:
    """Create or change ``system``'s channel setting."""
    if actor is None or not actor.has_perm("integration.manage_systems"):
        raise PermissionDenied(_("Only administrators set up the systems' channels."))
    _validate(issuer, controller_organisation, priority)
    channel, created = DocflowChannel.objects.select_for_update().get_or_create(
        system=system, defaults={"issuer": issuer, "controller_organisation": controller_organisation,
                                 "priority": priority, "is_active": is_active})
    if not created:
        channel.issuer, channel.controller_organisation = issuer, controller_organisation
        channel.priority, channel.is_active = priority, is_active
        channel.save()
    record_event(kind="docflow.channel_saved", actor=actor, subject=channel, payload={
        "system": system.code, "created": created, "issuer_id": issuer.pk,
        "controller_organisation_id": controller_organisation.pk, "priority": priority, "is_active": is_active})
    return channel
