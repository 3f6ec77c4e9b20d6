"""Subscriptions to law-making: to one initiative's steps, or to new initiatives that match a filter (level,
municipality, subject). A second subscription to the same thing returns the existing one and writes nothing.
Who is told what: ``subscribers_discussion``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.lawmaking import policy
from krai.lawmaking.models import Initiative, Level, Subscription
from krai.lawmaking.services import stages
from krai.org.models import Municipality
from krai.social.selectors.profiles import expertise_fields

__all__ = ["subscribe", "subscribe_filter", "unsubscribe", "unsubscribe_filter"]

MAX_FILTERS = 20


@transaction.atomic
def subscribe(*, actor: Any, initiative: Initiative) -> tuple[Subscription, bool]:
    """Follow an initiative's steps; returns the subscription and whether it is new."""
    policy.ensure_signed_in(actor)
    if not policy.may_see(actor, initiative):
        raise PermissionDenied(_("This initiative is not available."))
    existing = Subscription.objects.filter(user=actor, initiative=initiative).first()
    if existing is not None:
        return existing, False
    subscription = Subscription.objects.create(user=actor, initiative=initiative)
    record_event(kind="lawmaking.subscribed", actor=actor, subject=initiative,
                 payload=stages.payload(initiative, subscription_id=subscription.pk))
    return subscription, True


@transaction.atomic
def unsubscribe(*, actor: Any, initiative: Initiative) -> bool:
    """Stop following an initiative; ``False`` when one did not follow it (nothing changed)."""
    policy.ensure_signed_in(actor)
    rows = list(Subscription.objects.select_for_update().filter(user=actor, initiative=initiative))
    if not rows:
        return False
    Subscription.objects.filter(pk__in=[row.pk for row in rows]).delete()
    record_event(kind="lawmaking.unsubscribed", actor=actor, subject=initiative,
                 payload=stages.payload(initiative, subscription_id=rows[0].pk))
    return True


def _clean_filter(level: Any, municipality: Any, field: Any) -> tuple[str, Municipality | None, Any]:
    level = str(level or "")
    errors: dict[str, str] = {}
    if level and level not in Level.values:
        errors["level"] = _("Choose a level from the list.")
    if municipality is not None:
        if not (isinstance(municipality, Municipality) and municipality.is_active):
            errors["municipality"] = _("Choose a municipality from the list.")
        elif level == Level.REGIONAL:
            errors["municipality"] = _("Regional initiatives have no municipality: choose the municipal level "
                                       "or no municipality.")
        else:
            level = Level.MUNICIPAL  # a municipality means its municipal acts
    if field is not None and not (getattr(field, "pk", None) and expertise_fields().filter(pk=field.pk).exists()):
        errors["field"] = _("Choose a subject from the list.")
    if errors:
        raise ValidationError(errors)
    return level, municipality, field


@transaction.atomic
def subscribe_filter(*, actor: Any, level: str = "", municipality: Municipality | None = None,
                     field: Any = None) -> tuple[Subscription, bool]:
    """Be told of new initiatives that match (an empty part means any); returns the filter and whether it is
    new. An empty filter means every new initiative."""
    policy.ensure_signed_in(actor)
    level, municipality, field = _clean_filter(level, municipality, field)
    mine = Subscription.objects.select_for_update().filter(user=actor, initiative__isnull=True)
    existing = mine.filter(level=level, municipality=municipality, field=field).first()
    if existing is not None:
        return existing, False
    if mine.count() >= MAX_FILTERS:
        raise ValidationError(_("At most %(n)s filters: remove one first.") % {"n": MAX_FILTERS}, code="too_many")
    subscription = Subscription.objects.create(user=actor, level=level, municipality=municipality, field=field)
    record_event(kind="lawmaking.filter_subscribed", actor=actor, subject=subscription,
                 payload={"subscription_id": subscription.pk, "level": level,
                          "municipality_id": municipality.pk if municipality else None,
                          "field": field.code if field else None})
    return subscription, True


@transaction.atomic
def unsubscribe_filter(*, actor: Any, subscription: Subscription) -> None:
    """Remove one's own filter (someone else's answers as missing in the pages and the API)."""
    policy.ensure_signed_in(actor)
    if subscription.user_id != actor.pk or subscription.initiative_id is not None:
        raise PermissionDenied(_("This is not one of your filters."))
    pk = subscription.pk
    deleted, _rows = Subscription.objects.filter(pk=pk).delete()
    if deleted:
        record_event(kind="lawmaking.filter_unsubscribed", actor=actor, subject=None,
                     payload={"subscription_id": pk, "level": subscription.level,
                              "municipality_id": subscription.municipality_id,
                              "field_id": subscription.field_id})
