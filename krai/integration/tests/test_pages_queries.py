"""Integration's list pages cost a constant number of queries however many rows they show: the systems, a system's
page, the exchange log, the webhooks' endpoints, an endpoint's deliveries, the dead letters, the document-flow
packages, a package's page and consolidation's pages — each counted on a small data set, then again with a dozen
more rows of what it lists (and their related rows), never a query per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from krai.accounts.models import ApiToken
from krai.accounts.services.tokens import token_create
from krai.core.events.models import Event
from krai.integration.consolidation.models import ConsolidatedOrder, ConsolidationSource
from krai.integration.consolidation.tests.helpers import configure
from krai.integration.docflow.models import DocflowAnswer, DocflowChannel, DocflowItem, DocflowPackage
from krai.integration.models import ExternalSystem
from krai.integration.tests.factories import administrator, body, external_system
from krai.integration.tests.systems_helpers import message
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint
from krai.integration.webhooks.tests.helpers import endpoint
from krai.orders.tests.factories import Gov, government, issued_order
from krai.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

#: more rows than a small data set has, well within one page of every list (30 or 50 rows)
MORE = 12
#: the most queries any of these pages may cost (the workspace's frame, the permissions, the list, its counts)
CEILING = 25


@dataclass
class World:
    """The administrator who reads every page, the government whose orders the packages bring, and the system,
    endpoint and package whose own pages are counted."""

    admin: Any
    gov: Gov
    system: ExternalSystem = field(init=False)
    hook: Endpoint = field(init=False)
    package: DocflowPackage = field(init=False)
    serial: int = 0

    def next(self) -> int:
        self.serial += 1
        return self.serial


def _system(world: World, *, with_channel: bool = True) -> ExternalSystem:
    """A document-flow system of its own body, with a token, a message in the log and (mostly) a channel."""
    n = world.next()
    system = external_system(f"sys-{n}", name=f"Система {n}", organisation=body(f"body-{n}"))
    _token(world, system)
    message(system=system, summary=f"Пакет {n}")
    if with_channel:
        DocflowChannel.objects.create(system=system, issuer=world.gov.vice, controller_organisation=world.gov.control)
    return system


def _token(world: World, system: ExternalSystem) -> None:
    issued = token_create(actor=world.admin, user=system.account, name=f"token {world.next()}", scopes=["read"],
                          kind=ApiToken.Kind.SYSTEM)
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=timezone.now())


def _delivery(hook: Endpoint, status: str = DeliveryStatus.PENDING) -> Delivery:
    event = Event.objects.create(kind="orders.order_issued", payload={})
    dead = timezone.now() if status == DeliveryStatus.DEAD else None
    return Delivery.objects.create(endpoint=hook, event=event, kind=event.kind, status=status, attempts=3,
                                   last_http_status=503, last_error="Service unavailable", dead_at=dead)


def _hook(world: World, system: ExternalSystem) -> Endpoint:
    """An endpoint scoped to the system's body, with a pending and a dead delivery."""
    hook = endpoint(system=system, actor=world.admin, url=f"https://hooks.krai.test/{world.next()}",
                    scope="organisation", organisation=system.organisation)
    _delivery(hook)
    _delivery(hook, DeliveryStatus.DEAD)
    return hook


def _package(world: World, system: ExternalSystem, *, accepted: bool = True) -> DocflowPackage:
    n = world.next()
    return DocflowPackage.objects.create(
        system=system, uid=f"pkg-{n}", channel="upload", status="accepted" if accepted else "refused",
        document_number=f"01-{n}", received_by=StaffFactory(), error="" if accepted else "Схема не совпала")


def _item(world: World, package: DocflowPackage) -> None:
    """An item of ``package``, the order it became and an answer sent back for it."""
    order = issued_order(world.gov)
    position = package.items.count() + 1
    item = DocflowItem.objects.create(package=package, position=position, number=str(position), text=order.title,
                                      order=order, executor="Министерство здравоохранения")
    DocflowAnswer.objects.create(item=item, event_id=world.next(), kind="registered", uid=f"ans-{world.next()}",
                                 content="<answer/>", status="failed", attempts=5, last_error="timeout")


def _consolidated(world: World, source: ConsolidationSource) -> None:
    n = world.next()
    late = timezone.localdate() - timedelta(days=n % 3)
    ConsolidatedOrder.objects.create(source=source, remote_id=n, number=f"{source.code}-{n}", title=f"Поручение {n}",
                                     executor="Министерство экономики", deadline=late, status="in_progress",
                                     is_open=True, version=n, url=f"https://{source.code}.krai.test/o/{n}/")


def _source(world: World) -> ConsolidationSource:
    n = world.next()
    source = ConsolidationSource.objects.create(code=f"src-{n}", name=f"Блок {n}", last_received_at=timezone.now())
    _consolidated(world, source)
    return source


def _world() -> World:
    """Two of everything each page lists, so that every page takes the same branches before and after growing."""
    world = World(admin=administrator(), gov=government())
    world.system = _system(world)
    other = _system(world)
    world.hook = _hook(world, world.system)
    _hook(world, other)
    world.package = _package(world, world.system)
    _package(world, other, accepted=False)
    for _ in range(2):
        _item(world, world.package)
        _source(world)
    return world


def _grow(world: World, n: int) -> None:
    """``n`` more rows of what each page lists, each with its related rows."""
    for i in range(n):
        system = _system(world, with_channel=i % 4 != 0)
        _token(world, world.system)
        message(system=world.system, kind="medo.answer", direction="out", status="error", error="HTTP 500")
        _hook(world, system)
        _hook(world, world.system)
        _delivery(world.hook)
        _package(world, system, accepted=i % 2 == 0)
        _item(world, world.package)
        _consolidated(world, _source(world))


def _urls(world: World) -> list[str]:
    return [reverse("integration:systems"), reverse("integration:system", args=[world.system.code]),
            reverse("integration:log"), reverse("webhooks:home"), reverse("webhooks:endpoint", args=[world.hook.pk]),
            reverse("webhooks:dead"), reverse("docflow:home"), reverse("docflow:package", args=[world.package.pk]),
            reverse("consolidation:home"), reverse("consolidation:orders")]


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _rows(client: Client, url: str) -> int:
    """How many table rows the page shows (to be sure the growth reached it)."""
    return client.get(url).content.decode().count("<tr")


def test_integration_pages_cost_the_same_queries_for_2_rows_and_for_14(client: Client, settings: Any) -> None:
    configure(settings)  # a source and a receiver: consolidation's start page shows both sides
    world = _world()
    client.force_login(world.admin)
    urls = _urls(world)
    for url in urls:  # caches warmed (content types, the calendar), as on a running server
        client.get(url)
    small = {url: _queries(client, url) for url in urls}
    rows = {url: _rows(client, url) for url in urls}
    _grow(world, MORE)
    for url in urls:
        large = _queries(client, url)
        extra = large[len(small[url]):] if len(large) > len(small[url]) else []
        assert len(large) == len(small[url]), (
            f"{url}: {len(small[url])} → {len(large)} queries; extra: {[q[:200] for q in extra[:3]]}")
        assert len(large) <= CEILING, url
        assert _rows(client, url) >= rows[url] + MORE, f"{url} does not show the new rows"
