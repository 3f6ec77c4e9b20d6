"""Integration's pages checked by axe-core (serious and critical WCAG 2.1 A/AA violations fail) and on a phone's
screen (390 px, no sideways scrolling, no script error): the section's start page, the registered systems (the
list, a system, its forms), the exchange log and a message; the webhooks (the list, the form, an endpoint with its
deliveries, the dead letters, a delivery with its attempts); the document flow (the packages, an accepted and a
refused package, the upload, the channels and a channel); consolidation (an installation that pushes to itself and
consolidates: its state and the consolidated orders) — as an administrator and as a controller. The data is written
through the services and the parts' test factories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import WIDE, sign_in
from tests.browser.test_accessibility import AXE, _check

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[2] / "krai" / "integration" / "docflow" / "tests" / "data"


def _docflow(controller) -> dict[str, Any]:
    """The government the sample packages name (as the document-flow tests set it up), its channel, and one
    accepted and one refused package loaded by ``controller``."""
    from krai.integration.docflow.models import DocflowChannel
    from krai.integration.docflow.services.packages import package_import
    from krai.integration.tests.factories import external_system
    from krai.org.models import Organisation, Role
    from krai.org.tests.factories import BlockFactory, OrganisationFactory, PositionFactory, StaffFactory, assign

    social = BlockFactory(name="Социальный блок")
    health = OrganisationFactory(code="dfl-health", name="Министерство здравоохранения Краснодарского края",
                                 short_name="Минздрав края", block=social)
    OrganisationFactory(code="dfl-education", name="Министерство образования", inn="2311542747", block=social)
    OrganisationFactory(code="dfl-labour", name="Министерство труда", block=social)
    control = OrganisationFactory(code="dfl-control", name="Департамент контроля", block=None,
                                  kind=Organisation.Kind.CONTROL)
    vice = StaffFactory(surname="Лопатина", given_name="Елена", patronymic="Викторовна")
    assign(vice, Role.VICE_GOVERNOR, block=social)
    minister = StaffFactory(surname="Министров", given_name="Иван", patronymic="Петрович")
    assign(minister, Role.HEAD, organisation=health)
    PositionFactory(organisation=health, title="Министр", holder=minister, is_head=True)
    system = external_system("sed-social", name="СЭД социального блока", organisation=None)
    channel = DocflowChannel.objects.create(system=system, issuer=vice, controller_organisation=control)
    accepted = package_import(actor=controller, system=system, channel="upload", file_name="valid_three_items.xml",
                              content=(SAMPLES / "valid_three_items.xml").read_bytes()).package
    refused = package_import(actor=controller, system=system, channel="upload", file_name="invalid_schema.xml",
                             content=(SAMPLES / "invalid_schema.xml").read_bytes()).package
    return {"channel": channel, "accepted": accepted, "refused": refused}


def _webhooks(admin, gov) -> dict[str, Any]:
    """An endpoint on a closed port of this machine: an order's events fan out to it, every attempt is refused
    until the deliveries are dead letters; a second endpoint with nothing sent yet."""
    from krai.integration.tests.factories import external_system
    from krai.integration.webhooks.models import Delivery
    from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint, exhaust
    from krai.orders.tests.factories import issued_order

    hook = endpoint(actor=admin, kinds=["orders.*"], description="СЭД «Дело»: поручения губернатора")
    endpoint(actor=admin, system=external_system("ais-finance", name="АИС «Бюджет»"), kinds=["control.*"],
             url="http://127.0.0.1:9/budget/hooks")
    issued_order(gov)
    dispatch_events()
    exhaust()
    return {"endpoint": hook, "delivery": Delivery.objects.filter(endpoint=hook).order_by("pk").first()}


def _consolidation(settings, monkeypatch, gov) -> None:
    """This installation pushes its orders to itself and consolidates them (the part's loopback transport)."""
    from krai.integration.consolidation import pushing
    from krai.integration.consolidation.tests.helpers import Loopback, configure
    from krai.orders.tests.factories import issued_order

    configure(settings)
    issued_order(gov)
    with monkeypatch.context() as patched:  # only the push goes through the loopback (webhooks use requests too)
        patched.setattr(pushing.requests, "post", Loopback())
        pushing.push_once(force=True)


def _area(settings, monkeypatch) -> dict[Any, list[str]]:
    """Every part's pages with something on them, and who looks at them: {user: [paths]}."""
    from krai.integration.tests.factories import administrator, controller
    from krai.integration.tests.systems_helpers import message, registered
    from krai.orders.tests.factories import government

    admin, reader = administrator(), controller()
    gov = government()
    system = registered("sed-delo", actor=admin, name="СЭД «Дело» департамента", organisation=gov.health)
    logged = message(system=system, kind="medo.package", payload="<package><item/></package>",
                     content_type="application/xml", summary="Пакет МЭДО: 3 пункта")
    docflow = _docflow(reader)
    hooks = _webhooks(admin, gov)
    _consolidation(settings, monkeypatch, gov)
    channel, hook = docflow["channel"], hooks["endpoint"]
    return {
        admin: ["/workspace/integration/", "/workspace/integration/systems/", "/workspace/integration/systems/new/",
                f"/workspace/integration/systems/{system.code}/", f"/workspace/integration/systems/{system.code}/edit/",
                "/workspace/integration/log/", f"/workspace/integration/log/{logged.pk}/",
                "/workspace/integration/webhooks/", "/workspace/integration/webhooks/new/",
                f"/workspace/integration/webhooks/{hook.pk}/", f"/workspace/integration/webhooks/{hook.pk}/edit/",
                "/workspace/integration/webhooks/dead/",
                f"/workspace/integration/webhooks/deliveries/{hooks['delivery'].pk}/",
                "/workspace/integration/docflow/channels/",
                f"/workspace/integration/docflow/channels/{channel.system_id}/"],
        reader: ["/workspace/integration/", "/workspace/integration/log/?q=medo",
                 "/workspace/integration/docflow/", "/workspace/integration/docflow/upload/",
                 f"/workspace/integration/docflow/packages/{docflow['accepted'].pk}/",
                 f"/workspace/integration/docflow/packages/{docflow['refused'].pk}/",
                 "/workspace/integration/consolidation/", "/workspace/integration/consolidation/orders/"],
    }


def test_integration_pages_have_no_serious_accessibility_violations(page, live_server, transactional_db, settings,
                                                                    monkeypatch):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    problems = []
    for user, paths in _area(settings, monkeypatch).items():
        sign_in(page, live_server, user)
        for path in paths:
            problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)
    assert page.js_errors == []


def test_integration_pages_fit_a_phone(page, live_server, transactional_db, settings, monkeypatch):
    page.set_viewport_size({"width": 390, "height": 844})
    wide = []
    for user, paths in _area(settings, monkeypatch).items():
        sign_in(page, live_server, user)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                culprits = page.evaluate(WIDE)
                wide.append(f"{path} scrolls sideways by {overflow}px: {culprits}")
    assert wide == [], "\n".join(wide)
    assert page.js_errors == []
