"""Routing (theme × municipality → the responsible body), the reaction's deadline, the routing table's writes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.core.workcalendar.selectors import add_working_days
from krai.org.selectors import organisation_list
from krai.problems.models import Category, RoutingRule
from krai.problems.services._common import require


def route_for(*, category: Category, municipality):
    """The organisation that answers ``category`` in ``municipality``, or None when nobody does.

    The most specific rule wins — the theme in the municipality, its parent theme in the municipality,
    then the same region-wide — and with no rule the municipality's own administration answers.
    """
    themes = [category.pk] + ([category.parent_id] if category.parent_id else [])
    candidates = (RoutingRule.objects.filter(category_id__in=themes, organisation__is_active=True)
                  .filter(Q(municipality_id=municipality.pk) | Q(municipality__isnull=True)))
    best = None
    for rule in candidates.select_related("organisation"):
        rank = (rule.municipality_id is None, themes.index(rule.category_id))
        if best is None or rank < best[0]:
            best = (rank, rule.organisation)
    if best is not None:
        return best[1]
    return (organisation_list(kind="municipal_administration", municipality_id=municipality.pk)
            .order_by("depth", "path").first())


def due_date_for(category: Category, start: dt.date | None = None) -> dt.date:
    """The day the official reaction is due: the category's days, working or calendar, from ``start``."""
    start = start or timezone.localdate()
    if category.day_kind == Category.DayKind.CALENDAR:
        return start + dt.timedelta(days=category.reaction_days)
    return add_working_days(start, category.reaction_days)


@transaction.atomic
def routing_rule_set(*, actor, category: Category, municipality, organisation) -> RoutingRule:
    """Say who answers a theme in a municipality (or everywhere): replaces the rule already there."""
    require(actor, "problems.manage_routing", message=_("Only administrators edit the routing table."))
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    previous = (RoutingRule.objects.select_for_update().filter(category=category, municipality=municipality)
                .values_list("organisation_id", flat=True).first())
    try:
        with transaction.atomic():
            rule, _created = RoutingRule.objects.update_or_create(
                category=category, municipality=municipality, defaults={"organisation": organisation})
    except IntegrityError:
        raise ValidationError(_("A rule for this theme and place exists already.")) from None
    # the row's old and new body: the trail tells who answered this theme here before the change
    record_event(kind="problems.route_set", actor=actor, subject=rule,
                 payload={"category": category.pk, "municipality": getattr(municipality, "pk", None),
                          "organisation": organisation.pk, "previous_organisation": previous})
    return rule


@transaction.atomic
def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    require(actor, "problems.manage_routing", message=_("Only administrators edit the routing table."))
    record_event(kind="problems.route_deleted", actor=actor, subject=rule,
                 payload={"category": rule.category_id, "municipality": rule.municipality_id,
                          "organisation": rule.organisation_id})
    rule.delete()
