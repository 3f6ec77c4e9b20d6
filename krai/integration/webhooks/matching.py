"""Which endpoints an event goes to: the kinds they ask for, the part of the region they cover, and what their
system's service account may see.

Three filters, all needed:

1. **kinds** — glob patterns (``orders.order_issued``, ``orders.*``, ``*``); kinds about persons and Krai's own
   administration (``PRIVATE_KINDS``) never leave by webhook, whatever the pattern;
2. **scope** — the endpoint's region, organisation subtree, municipality or block must cover the event's place
   (``places``); an event without a place reaches region-wide endpoints only;
3. **the system's account** — what the endpoint receives is never more than its system's service account may
   see (its role assignments), so narrowing a system's role narrows its webhooks at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase

from krai.core.events.models import Event
from krai.integration.webhooks.models import Endpoint, EndpointScope
from krai.integration.webhooks.places import Place, place_of
from krai.org.models import Organisation
from krai.org.scopes import Scope, scope_for

#: kinds whose events are about persons or Krai's own administration: never sent
PRIVATE_KINDS = ("accounts.*", "auth.*", "social.*", "notifications.*", "comments.*", "org.user_*", "org.role_*",
                 "org.residence*", "org.deputy*", "webhooks.*", "integration.*", "administration.*")
KIND_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*\*?))$")
MAX_KINDS = 30


def is_private(kind: str) -> bool:
    return any(fnmatchcase(kind, pattern) for pattern in PRIVATE_KINDS)


def kinds_match(patterns: Iterable[str], kind: str) -> bool:
    """Whether ``kind`` is asked for by any of ``patterns`` (and may be sent at all)."""
    return not is_private(kind) and any(fnmatchcase(kind, pattern) for pattern in patterns)


def parse_kinds(text: str | Iterable[str]) -> tuple[list[str], list[str]]:
    """Patterns from a comma-, space- or line-separated text (or a list): (valid patterns in order, bad ones)."""
    items = re.split(r"[\s,;]+", text) if isinstance(text, str) else [str(item) for item in text]
    good: list[str] = []
    bad: list[str] = []
    for item in (part.strip() for part in items):
        if not item:
            continue
        if not KIND_PATTERN.match(item):
            bad.append(item)
        elif item not in good:
            good.append(item)
    return good, bad


class _Organisations:
    """Organisations looked up once per fan-out (paths for subtrees, blocks up the chain)."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[str, int | None, int | None]] = {}

    def get(self, pk: int) -> tuple[str, int | None, int | None] | None:
        if pk not in self._rows:
            row = Organisation.objects.filter(pk=pk).values_list("path", "municipality_id", "block_id").first()
            if row is None:
                return None
            self._rows[pk] = row
        return self._rows[pk]

    def chain(self, pk: int) -> list[int]:
        """``pk`` and its ancestors (read from the materialised path)."""
        row = self.get(pk)
        return [int(part) for part in row[0].split(".") if part] if row else []

    def blocks(self, pk: int) -> set[int]:
        ids = self.chain(pk)
        missing = [i for i in ids if i not in self._rows]
        for i, path, municipality, block in Organisation.objects.filter(pk__in=missing).values_list(
                "pk", "path", "municipality_id", "block_id"):
            self._rows[i] = (path, municipality, block)
        return {self._rows[i][2] for i in ids if i in self._rows and self._rows[i][2] is not None}


def covers(endpoint: Endpoint, place: Place, organisations: _Organisations | None = None) -> bool:
    """Whether the endpoint's scope covers ``place`` (region-wide covers everything, even no place)."""
    if endpoint.scope == EndpointScope.REGION:
        return True
    if not place.known:
        return False
    organisations = organisations or _Organisations()
    row = organisations.get(place.organisation_id) if place.organisation_id is not None else None
    if endpoint.scope == EndpointScope.ORGANISATION:
        target = organisations.get(endpoint.organisation_id)
        return row is not None and target is not None and row[0].startswith(target[0])
    if endpoint.scope == EndpointScope.MUNICIPALITY:
        return endpoint.municipality_id in {place.municipality_id, row[1] if row else None}
    if endpoint.scope == EndpointScope.BLOCK:
        return place.organisation_id is not None and endpoint.block_id in organisations.blocks(place.organisation_id)
    return False


def account_sees(scope: Scope, place: Place, organisations: _Organisations | None = None) -> bool:
    """Whether a service account with ``scope`` may see what happened at ``place``."""
    if scope.region:
        return True
    if not place.known:
        return False
    organisations = organisations or _Organisations()
    if place.municipality_id is not None and place.municipality_id in scope.municipality_ids:
        return True
    if place.organisation_id is None:
        return False
    row = organisations.get(place.organisation_id)
    if row is None:
        return False
    return (any(row[0].startswith(path) for path in scope.org_paths) or row[1] in scope.municipality_ids
            or bool(organisations.blocks(place.organisation_id) & scope.block_ids))


def scope_within_account(endpoint: Endpoint, account_scope: Scope) -> bool:
    """Whether everything the endpoint's scope covers is visible to its system's account (checked on save)."""
    if account_scope.region:
        return True
    if endpoint.scope == EndpointScope.REGION:
        return False
    if endpoint.scope == EndpointScope.ORGANISATION:
        return account_scope.covers_organisation(endpoint.organisation)
    if endpoint.scope == EndpointScope.MUNICIPALITY:
        return endpoint.municipality_id in account_scope.municipality_ids
    return endpoint.block_id in account_scope.block_ids


def endpoints_for(event: Event) -> list[Endpoint]:
    """The active endpoints ``event`` goes to: kinds match, the scope covers its place, the system's account sees
    it, and the endpoint existed when it happened (a new subscription does not receive the past)."""
    if is_private(event.kind):
        return []
    candidates = [endpoint for endpoint in Endpoint.objects.filter(
        is_active=True, system__is_active=True, system__account__is_active=True, created_at__lte=event.occurred_at,
    ).select_related("system__account") if kinds_match(endpoint.event_kinds, event.kind)]
    if not candidates:
        return []
    place = place_of(event)
    organisations = _Organisations()
    return [endpoint for endpoint in candidates
            if covers(endpoint, place, organisations)
            and account_sees(scope_for(endpoint.system.account), place, organisations)]
