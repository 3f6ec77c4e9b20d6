"""What packages and tables share: an item of an outside document issued as an order in the channel's issuer's name.

Each item is tried in its own savepoint so that every bad item is reported, not just the first; the caller rolls
the whole set back when any failed (all items become orders, or none does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from krai.integration.docflow.models import DocflowChannel
from krai.orders.models import Order, SourceType
from krai.orders.services.orders import order_create, order_issue
from krai.org.models import Organisation, User

SOURCE_TYPES = {"letter": SourceType.LETTER, "decree": SourceType.DECREE, "order": SourceType.DECREE,
                "protocol": SourceType.PROTOCOL, "resolution": SourceType.RESOLUTION}
TITLE_CHARS = 200


@dataclass
class Entry:
    """One item to issue: its text, deadline and executors, already matched to Krai's organisations and people."""

    number: str
    text: str
    deadline: date | None
    lead: Organisation
    lead_user: User | None = None
    co_executors: list[tuple[Organisation, User | None]] = field(default_factory=list)
    priority: str = ""
    title: str = ""


def title_of(text: str) -> str:
    """An order's title from an item's text: its first sentence when short enough, else its start cut at a word."""
    text = " ".join(text.split())
    first = text.split(". ")[0].rstrip(".")
    return first if len(first) <= TITLE_CHARS else Truncator(text).chars(TITLE_CHARS)


def source_reference(number: str, day: date | None) -> str:
    """"№ 01-14/142 от 19.11.2026": written in the installation's language, it is the order's data."""
    with translation.override(settings.LANGUAGE_CODE):
        if day is None:
            return (_("No. %(number)s") % {"number": number})[:200]
        return (_("No. %(number)s of %(date)s") % {"number": number, "date": day.strftime("%d.%m.%Y")})[:200]


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("not allowed.")


def issue(entry: Entry, *, channel: DocflowChannel, source_type: str, source_ref: str,
          source_date: date | None) -> tuple[Order | None, str]:
    """Create and issue one order in a savepoint: (the order, "") or (None, why not)."""
    issuer = channel.issuer
    try:
        with transaction.atomic():
            order = order_create(
                actor=issuer, title=entry.title or title_of(entry.text), text=entry.text, source_type=source_type,
                source_reference=source_ref, source_date=source_date,
                priority=entry.priority or channel.priority, controller_organisation=channel.controller_organisation,
                lead_organisation=entry.lead, lead_user=entry.lead_user, deadline=entry.deadline,
                co_executors=entry.co_executors)
            order = order_issue(actor=issuer, order=order)
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied):
            return None, _("the issuer %(name)s: %(reason)s") % {"name": issuer.short_name or issuer.email,
                                                                 "reason": _reason(exc)}
        return None, _reason(exc)
    return order, ""
