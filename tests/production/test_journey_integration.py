"""Integration's journeys in the deployed shape, through the pages — on a desktop (1280 px) and on a phone
(390 px), never scrolling sideways and with no script or console error:

a) the administrator opens More → Integration → Registered systems and registers the document-flow system of the
   Ministry of Health: the owner body and the organisation its account acts for picked by search, the role "head"
   within that organisation; he issues a token, copies it from the page (shown once, never again on the system's
   page), and the system asks ``GET /api/v1/integration/me/`` with it over HTTP;
b) he sets the system's channel (the social block's vice-governor issues its orders, the Department of Control
   controls them, both picked by search); the controller uploads a MEDO package of three order items: the
   package's page lists three orders, and each order's page shows its lead executor (the minister named in the
   package), its co-executors and its deadline; a malformed package is refused with the line and the element on
   the page and the orders list counts as many as before; the exchange log shows both packages, accepted and
   refused, and the accepted one's page shows its payload;
d) the administrator subscribes the system to ``orders.*`` for the ministry at a test system on 127.0.0.1, reads
   the signing secret on the endpoint's page and uploads a one-item package: the installation's worker sends the
   signed ``orders.order_issued`` of that order, the test system verifies its Standard Webhooks signature, and the
   endpoint's page shows the delivery delivered; the endpoint is deleted with the test system.

Each viewport registers its own system and sends its own packages, so the two runs do not meet. The API journey
(c) is in ``test_journey_integration_api.py``, with the package builder and the receiver both use.
"""

from __future__ import annotations

import re
import secrets
import time

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors
from .test_journey_integration_api import (
    EDUCATION,
    HEALTH,
    HEALTH_HEAD,
    REGISTERED,
    Item,
    Receiver,
    Registered,
    call,
    medo_package,
    three_items,
    working_day,
)

pytestmark = [pytest.mark.production, pytest.mark.browser]

ADMIN = "admin@demo.krai"
CONTROLLER = "controller@demo.krai"
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
MINISTRY = "Министерство здравоохранения Краснодарского края"  # its label in the pickers
ISSUER = "vice.social@demo.krai"  # the social block's vice-governor: she may give orders to its ministries
CONTROL = "(control)"  # the Department of Control, as the channel's picker labels it: "name (code)"


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _open(crawler, login: str, viewport: dict, errors: list[str]):
    page = crawler.context(login).new_page()
    page.set_viewport_size(viewport)
    watch_errors(page, errors)
    return page


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _go(page, link) -> None:
    with page.expect_navigation():
        link.click()


def _pick(page, field_id: str, typed: str, option: str) -> None:
    """The searched picker (krai/picker.js) over the select ``field_id``: type, then click the option."""
    search = page.locator(f"#{field_id}-search")
    search.click()
    search.press_sequentially(typed, delay=10)
    choice = page.locator(f".krai-picker:has(#{field_id}-search) [role=option]", has_text=option).first
    choice.click()
    assert page.locator(f"#{field_id}").input_value(), f"{field_id}: nothing chosen for {typed!r}"


def _said(page) -> str:
    return " ".join(page.locator(".krai-messages, .alert").all_inner_texts())


def _system(viewport: dict) -> Registered:
    system = REGISTERED.get(viewport["width"])
    if system is None:
        pytest.skip("journey a) registered no system for this viewport")
    return system


def _upload(page, url: str, system: Registered, name: str, content: bytes) -> str:
    """Upload a package on the page as it came from ``system``; the package page's path."""
    page.goto(url + "/workspace/integration/docflow/")
    _go(page, page.locator("#krai-docflow-upload"))
    page.select_option("#id_system", label=f"{system.name} ({system.code})")
    page.set_input_files("#id_file", {"name": name, "mimeType": "application/xml", "buffer": content})
    _submit(page, "#krai-docflow-upload-form button[type=submit]")
    assert re.search(r"/docflow/packages/\d+/$", page.url), (page.url, page.locator("main").inner_text()[:1500])
    fits(page, "the package's page")
    return re.sub(r"^https?://[^/]+", "", page.url)


# --- a) registering a system, its token ------------------------------------------------------------------------


@VIEWPORTS
def test_a_the_administrator_registers_a_system_and_its_token_works(crawler, installation, viewport):
    url, width = installation.url, viewport["width"]
    tag = f"{width}-{secrets.token_hex(3)}"
    code, name = f"sed-minzdrav-{tag}", f"СЭД министерства здравоохранения {tag}"
    errors: list[str] = []
    admin = _open(crawler, ADMIN, viewport, errors)
    try:
        admin.goto(url + "/workspace/")
        if width == PHONE["width"]:
            admin.locator(".navbar-toggler").click()
        admin.locator("#krai-nav-more").click()
        _go(admin, admin.locator("a.dropdown-item[href='/workspace/integration/']"))
        fits(admin, "integration's start page")
        _go(admin, admin.locator("#krai-integration-links a[href='/workspace/integration/systems/']"))
        fits(admin, "the registered systems")
        _go(admin, admin.locator("main a[href='/workspace/integration/systems/new/']"))
        fits(admin, "the system's form")
        admin.fill("#id_code", code)
        admin.fill("#id_name", name)
        admin.select_option("#id_kind", "docflow")
        _pick(admin, "id_organisation", "здравоохранения", MINISTRY)
        admin.fill("#id_contact_name", "Дежурный администратор СЭД")
        admin.fill("#id_contact_email", f"sed-{tag}@minzdrav.krasnodar.invalid")
        admin.select_option("#id_access_role", "head")
        admin.select_option("#id_access_scope", "organisation")
        _pick(admin, "id_access_organisation", "здравоохранения", MINISTRY)
        _submit(admin, "#krai-system-form button[type=submit]")
        assert admin.url.endswith(f"/workspace/integration/systems/{code}/"), \
            (admin.url, admin.locator(".invalid-feedback, .alert-danger").all_inner_texts())
        card = admin.locator("#krai-system-fields").inner_text()
        assert code in card and "Минздрав края" in card, card
        fits(admin, "the system's page")

        # a token, shown once
        token_name = f"Сервер СЭД {tag}"
        admin.fill("#krai-token-form #id_name", token_name)
        _submit(admin, "#krai-token-form button[type=submit]")
        key = admin.input_value("#krai-token-key")
        assert key.startswith("krai_"), key
        fits(admin, "the issued token")
        _go(admin, admin.locator(f"main a.btn-primary[href$='/systems/{code}/']"))
        assert key not in admin.content()
        assert admin.locator("#krai-tokens tbody tr", has_text=token_name).count() == 1
        REGISTERED[width] = Registered(code=code, name=name, key=key)

        # the system asks who it is, over HTTP with that token
        status, me = call(installation, "GET", "/api/v1/integration/me/", token=key)
        assert status == 200, me
        assert me["code"] == code and me["kind"] == "docflow" and me["name"] == name, me
        assert set(me["scopes"]) >= {"read", "write", "integration:write"}, me
        assert [(a["role"], a["scope"]) for a in me["access"]] == [("head", "organisation")], me
        assert not errors, errors
    finally:
        admin.close()


# --- b) document flow through the pages ------------------------------------------------------------------------


def _orders_total(page, url: str) -> int:
    page.goto(url + "/workspace/orders/")
    return int(page.locator("main [data-total]").first.get_attribute("data-total"))


def _check_order(page, url: str, path: str, item: Item) -> None:
    page.goto(url + path)
    facts = page.locator("main dl").first.inner_text()
    assert item.lead.short in facts, facts
    if item.person:
        assert HEALTH_HEAD[2] in facts, facts
    assert page.locator("main dl strong").first.inner_text() == item.deadline.strftime("%d.%m.%Y"), facts
    tree = page.locator("ul.krai-orders-tree li").all_inner_texts()
    for body in item.co:
        assert any(body.short in line for line in tree), (body.short, tree)
    assert len(tree) == 1 + len(item.co), tree


@VIEWPORTS
def test_b_packages_through_the_pages_become_orders_or_are_refused(crawler, installation, viewport):
    url, width = installation.url, viewport["width"]
    system = _system(viewport)
    tag = f"P{width}{secrets.token_hex(2)}"
    errors: list[str] = []
    admin = _open(crawler, ADMIN, viewport, errors)
    controller = _open(crawler, CONTROLLER, viewport, errors)
    try:
        # the administrator sets the system's channel: who issues its orders, who controls them
        admin.goto(url + "/workspace/integration/docflow/")
        _go(admin, admin.locator("#krai-docflow-links a[href='/workspace/integration/docflow/channels/']"))
        fits(admin, "the channels")
        _go(admin, admin.locator("#krai-docflow-channels a", has_text=system.name))
        _pick(admin, "id_issuer", "Лопатина", ISSUER)
        _pick(admin, "id_controller_organisation", "Департамент контроля", CONTROL)
        fits(admin, "the channel's form")
        _submit(admin, "#krai-docflow-channel-form button[type=submit]")
        row = admin.locator("#krai-docflow-channels tbody tr", has_text=system.name).inner_text()
        assert "Лопатина" in row and "Департамент контроля" in row, row

        # the controller uploads a package of three items: three orders, each with its executors and deadline
        items = three_items(tag)
        uid = f"{system.code}-{tag}"
        package = _upload(controller, url, system, f"{uid}.xml",
                          medo_package(uid, items, number=f"01-14/{tag}", source=system.code))
        assert re.search("3", _said(controller)), _said(controller)
        rows = controller.locator("#krai-package-items tbody tr")
        assert rows.count() == 3, controller.locator("main").inner_text()[:2000]
        orders = []
        for n, item in enumerate(items):
            cells = rows.nth(n).locator("td").all_inner_texts()
            assert item.lead.short in cells[1] and item.deadline.strftime("%d.%m.%Y") in cells[2], cells
            orders.append(rows.nth(n).locator("a[href^='/workspace/orders/order/']").get_attribute("href"))
        for path, item in zip(orders, items, strict=True):
            _check_order(controller, url, path, item)
        fits(controller, "an order from the package")

        # a malformed package: refused with where and why, not one order more
        before = _orders_total(controller, url)
        broken = f"{uid}-broken"
        refused = _upload(controller, url, system, f"{broken}.xml",
                          medo_package(broken, items, number=f"01-14/{tag}-б", source=system.code, bad_deadline=True))
        assert controller.locator("main h1 .badge.text-bg-danger").count() == 1
        assert controller.locator(".krai-messages .alert-danger[role=alert]").count() == 1, \
            _said(controller)
        problems = controller.locator("#krai-package-errors").inner_text()
        assert "2031-13-45" in problems and "deadline" in problems and re.search(r"\d", problems), problems
        assert controller.locator("#krai-package-items").count() == 0
        assert _orders_total(controller, url) == before

        # the exchange log: both packages, the accepted one's payload
        controller.goto(url + f"/workspace/integration/log/?system={system.code}&q={uid}")
        fits(controller, "the exchange log")
        log = controller.locator("#krai-log tbody tr", has_text="medo.document")
        accepted = log.filter(has=controller.locator(".badge.text-bg-success"))
        assert log.count() == 2 and accepted.count() == 1, controller.locator("#krai-log").inner_text()[:3000]
        assert log.filter(has=controller.locator(".badge.text-bg-warning"), has_text="2031-13-45").count() == 1
        _go(controller, accepted.locator("a").first)
        payload = controller.locator("#krai-payload").inner_text()
        assert uid in payload and "Ковалёв" in payload, payload[:500]
        fits(controller, "the message's page")
        assert refused != package
        system.orders = [int(re.search(r"(\d+)/$", path).group(1)) for path in orders]
        assert not errors, errors
    finally:
        admin.close()
        controller.close()


# --- d) webhooks -----------------------------------------------------------------------------------------------


def _delivered(page, url: str, endpoint: str, message_id: str) -> bool:
    page.goto(url + endpoint)
    row = page.locator("#krai-deliveries tbody tr", has_text=message_id)
    return row.count() == 1 and row.locator(".badge.text-bg-success").count() == 1


@VIEWPORTS
def test_d_a_webhook_is_signed_and_delivered(crawler, installation, viewport):
    url, width = installation.url, viewport["width"]
    system = _system(viewport)
    tag = f"W{width}{secrets.token_hex(2)}"
    errors: list[str] = []
    receiver = Receiver()
    admin = _open(crawler, ADMIN, viewport, errors)
    try:
        admin.goto(url + "/workspace/integration/webhooks/")
        fits(admin, "the webhooks")
        _go(admin, admin.locator("main a[href='/workspace/integration/webhooks/new/']"))
        admin.select_option("#id_system", label=system.name)
        admin.fill("#id_url", receiver.url)
        admin.fill("#id_description", f"Поручения министерства ({tag})")
        admin.fill("#id_event_kinds", "orders.*")
        admin.check("input[name=scope][value=organisation]")
        _pick(admin, "id_organisation", "здравоохранения", MINISTRY)
        fits(admin, "the endpoint's form")
        _submit(admin, "#krai-webhook-form button[type=submit]")
        assert re.search(r"/webhooks/\d+/$", admin.url), \
            (admin.url, admin.locator(".invalid-feedback").all_inner_texts())
        endpoint = re.sub(r"^https?://[^/]+", "", admin.url)
        admin.locator("#krai-webhook-settings summary").click()
        secret = admin.locator("#krai-webhook-secret").inner_text().strip()
        assert secret.startswith("whsec_"), secret
        fits(admin, "the endpoint's page")

        # an order for the ministry, from a one-item package
        uid = f"{system.code}-{tag}"
        item = Item(f"Представить сведения о готовности резервных источников питания больниц ({tag}).",
                    working_day(20), HEALTH, co=(EDUCATION,))
        _upload(admin, url, system, f"{uid}.xml", medo_package(uid, [item], number=f"01-14/{tag}", source=system.code))
        order = admin.locator("#krai-package-items a[href^='/workspace/orders/order/']").get_attribute("href")
        order_id = int(re.search(r"(\d+)/$", order).group(1))

        # the worker sends it, signed (right after `krai demo` its events wait behind the demo's backlog: ~100 s)
        deadline, issued = time.monotonic() + 240, []
        while time.monotonic() < deadline and not issued:
            issued = [(mid, m) for mid, m in receiver.verified(secret)
                      if m["type"] == "orders.order_issued" and str(m["data"]["subject_id"]) == str(order_id)]
            time.sleep(1)
        assert issued, (len(receiver.requests), [m["type"] for _mid, m in receiver.verified(secret)])
        message_id, message = issued[0]
        assert message["data"]["subject_type"] == "orders.order", message
        assert message["data"]["deadline"] == item.deadline.isoformat(), message

        for _attempt in range(30):  # the page shows it delivered once the worker has written the answer down
            if _delivered(admin, url, endpoint, message_id):
                break
            time.sleep(1)
        assert _delivered(admin, url, endpoint, message_id), admin.locator("#krai-deliveries").inner_text()
        fits(admin, "the endpoint's deliveries")
        # the test system goes away with the test: its endpoint too, so later orders queue nothing for it
        _submit(admin, f"form[action='{endpoint}delete/'] button[type=submit]")
        assert admin.locator(f"main a[href='{endpoint}']").count() == 0
        assert not errors, errors
    finally:
        admin.close()
        receiver.close()
