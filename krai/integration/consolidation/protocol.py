"""The consolidation protocol: a vice-governor's installation pushes its orders to the Department of Control's.

One installation with scopes is the simple default and needs none of this. When the region runs several (one
per vice-governor and one for the Department of Control, as Krasnodar did), each **source** pushes the current
state of its orders to the **receiver**, which keeps the latest version of each and shows them together.

Settings (environment only; secrets never in the database):

- both sides: ``KRAI_INSTALLATION_CODE`` (a slug naming the installation), ``KRAI_INSTALLATION_NAME``;
- source: ``KRAI_CONSOLIDATION_UPSTREAM_URL`` (the receiver's base URL), ``KRAI_CONSOLIDATION_SECRET``
  (``whsec_…``, shared with the receiver), ``KRAI_CONSOLIDATION_PUSH_SECONDS`` (how soon a change goes and the
  first retry's delay; 60), ``KRAI_SITE_URL`` (its own address, for the links back to its orders);
- receiver: ``KRAI_CONSOLIDATION_SOURCES`` = ``code=whsec_…,code=whsec_…`` (who may push, with whose secret).

**What goes.** The source reads its outbox (``krai.core.events``) after its cursor, in id order: ``orders.*``
events of an order and ``control.*`` events whose payload ``kind`` is ``order``. Each affected order that has
been issued (drafts stay home) becomes a **snapshot** of its current state::

    {"id": 42, "version": 1234, "number": "2026-00042", "title": "…", "issued_on": "2026-03-02",
     "lead_executor": {"name": "Министерство …", "code": "min-health"},
     "co_executors": [{"name": "…", "code": "…"}], "deadline": "2026-04-01", "status": "in_progress",
     "open": true, "closed_on": null, "overdue": false, "last_report_on": "2026-03-20",
     "url": "https://economy.krai.example/workspace/orders/order/42/"}

``version`` is the id of the latest event of that order the batch covers (a resend of every order as it is
uses the outbox's last id at the moment of reading). No personal data: bodies by name and code only.

**How it goes.** At most 200 orders per request::

    POST <upstream>/api/v1/integration/consolidation/push/
    Content-Type: application/json
    Krai-Installation: <code>
    webhook-id: <code>:<first event id>-<last event id>
                (a resend of every order: <code>:orders-<version>-<last order id>)
    webhook-timestamp: <unix seconds>
    webhook-signature: v1,<base64 HMAC-SHA256 over "<webhook-id>.<timestamp>.<body>" with the shared secret>

    {"installation": {"code": …, "name": …, "url": …}, "first_event": n, "last_event": m, "orders": [snapshot, …]}

Signing and checking are Standard Webhooks' (``standardwebhooks.Webhook``; a timestamp more than five minutes
off is refused). The receiver answers ``200 {"accepted": n, "ignored": m, "last_version": v}``: an order is
stored or replaced only when its version is newer than the one it holds, so a batch sent twice, or batches
arriving out of order, change nothing. ``401`` an unknown installation or a bad signature (nothing stored),
``400`` a malformed batch (nothing stored), ``413`` a body over 2 MB.

**Failures.** The cursor (the last event id the receiver acknowledged) moves only on a 2xx answer; otherwise the
same batch is tried again after one push interval, then twice as long each time, at most sixteen intervals
(and an hour) apart; the
error, the count of failures and the next attempt are on the consolidation page, each attempt in the exchange
log (channel ``consolidation``). Either side may be down for any time: nothing is lost, nothing is doubled. A
source started again resumes at once (its job consumer queues a push on start). Ids the outbox skipped when it
was read (a transaction still open) are looked at again for an hour, so a late commit is not passed over. A
newly connected upstream URL starts from the outbox's beginning; "resend everything" sends the outbox again from
event 0, or every issued order as it is now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from standardwebhooks import Webhook, WebhookVerificationError

#: orders per request
BATCH_ORDERS = 200
#: the largest body the receiver reads (bytes)
MAX_BODY = 2_000_000
INSTALLATION_HEADER = "Krai-Installation"
CHANNEL = "consolidation"
KIND = "consolidation.push"


def sign(secret: str, *, message_id: str, body: bytes, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of a push signed with ``secret``."""
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, at, body)}


def verify(secret: str, *, body: bytes, headers: dict[str, str]) -> bool:
    """Whether ``body`` was signed with ``secret`` within the tolerated time (Standard Webhooks)."""
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except (WebhookVerificationError, ValueError, TypeError):
        return False
    except Exception:  # a malformed secret in the settings: refuse rather than crash
        return False
    return True


@dataclass(frozen=True)
class Snapshot:
    """One order as received, checked."""

    remote_id: int
    version: int
    number: str
    title: str
    executor: str
    executor_code: str
    issued_on: date | None
    deadline: date | None
    status: str
    is_open: bool
    overdue: bool
    closed_on: date | None
    last_report_on: date | None
    url: str
    raw: dict[str, Any]


@dataclass(frozen=True)
class Batch:
    installation_code: str
    installation_name: str
    installation_url: str
    first_event: int | None
    last_event: int | None
    orders: list[Snapshot]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"orders": [message]}, code="invalid")


def _text(item: dict, key: str, limit: int, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise _refuse(_("Field %(f)s: text of at most %(n)d characters expected.") % {"f": key, "n": limit})
    return value.strip()


def _day(item: dict, key: str) -> date | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _refuse(_("Field %(f)s: a date (YYYY-MM-DD) expected.") % {"f": key}) from None


def _count(value: Any, key: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**62:
        raise _refuse(_("Field %(f)s: a whole number expected.") % {"f": key})
    return value


def _url(item: dict) -> str:
    url = _text(item, "url", 500)
    if url and not url.startswith(("https://", "http://")):
        raise _refuse(_("Field url: an http(s) address expected."))
    return url


def _snapshot(item: Any) -> Snapshot:
    if not isinstance(item, dict):
        raise _refuse(_("Each order must be an object."))
    lead = item.get("lead_executor") or {}
    if not isinstance(lead, dict):
        raise _refuse(_("Field lead_executor: an object expected."))
    return Snapshot(
        remote_id=_count(item.get("id"), "id"), version=_count(item.get("version"), "version"),
        number=_text(item, "number", 40, required=True), title=_text(item, "title", 500, required=True),
        executor=_text(lead, "name", 500), executor_code=_text(lead, "code", 64),
        issued_on=_day(item, "issued_on"), deadline=_day(item, "deadline"),
        status=_text(item, "status", 20, required=True), is_open=bool(item.get("open")),
        overdue=bool(item.get("overdue")), closed_on=_day(item, "closed_on"),
        last_report_on=_day(item, "last_report_on"), url=_url(item), raw=item)


def parse(body: bytes) -> Batch:
    """The batch in ``body``, checked whole (a malformed order refuses the batch: nothing is half-stored)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({"non_field_errors": [_("The body is not JSON.")]}, code="invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("orders"), list):
        raise ValidationError({"orders": [_("A list of orders is required.")]}, code="invalid")
    if len(data["orders"]) > BATCH_ORDERS:
        raise _refuse(_("At most %(n)d orders per batch.") % {"n": BATCH_ORDERS})
    installation = data.get("installation") or {}
    if not isinstance(installation, dict):
        raise ValidationError({"installation": [_("An object expected.")]}, code="invalid")
    orders = [_snapshot(item) for item in data["orders"]]
    if len({o.remote_id for o in orders}) != len(orders):
        raise _refuse(_("An order is named twice in the batch."))
    return Batch(installation_code=_text(installation, "code", 64), installation_name=_text(installation, "name", 300),
                 installation_url=_text(installation, "url", 300),
                 first_event=_count(data.get("first_event"), "first_event", allow_none=True),
                 last_event=_count(data.get("last_event"), "last_event", allow_none=True), orders=orders)
