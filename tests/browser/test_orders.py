"""Orders control through the pages, end to end: the governor drafts an order, edits and issues it to a
ministry; its head delegates it to an executor two levels down; the executor reports; the head accepts and
reports up; the governor accepts; the dashboard counts the order as executed and its numbers lead to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _as(page, live_server, user) -> None:
    """Switch the browser to ``user``: a session made by force_login, put into the browser's cookies."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.fixture
def gov(transactional_db):
    from krai.orders.tests.factories import government

    return government()


def _submit_action(page, action: str) -> None:
    """Submit one of the assignment's action forms (htmx posts it, then the page reloads on HX-Redirect)."""
    form = page.locator(f"form[action$='/{action}/']")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _pick(page, select: str, typed: str, label: str) -> None:
    """Choose in a picker (krai/picker.js): type into its search box, click the answer with ``label``."""
    page.fill(f"{select}-search", typed)
    page.locator(f"{select}-search ~ ul [role=option]", has_text=label).first.click()
    page.wait_for_function("([s, l]) => document.querySelector(s).selectedOptions[0].text === l", arg=[select, label])


def test_an_order_goes_down_the_chain_and_back_and_the_dashboard_counts_it(page, live_server, gov):
    from krai.orders.models import Assignment, Order, Report, Status

    base = live_server.url

    # the governor drafts an order to the ministry of health
    _as(page, live_server, gov.governor)
    page.goto(f"{base}/workspace/orders/new/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.fill("#id_title", "Обеспечить ремонт поликлиник")
    page.fill("#id_text", "Провести ремонт до конца квартала и доложить.")
    _pick(page, "#id_lead_organisation", "здрав", gov.health.name)
    page.fill("#id_working_days", "10")
    page.uncheck("#id_issue")
    screenshot(page, "orders-new")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    order = Order.objects.get()
    assert order.is_draft and page.url == f"{base}/workspace/orders/order/{order.pk}/"

    # ... edits the draft and issues it from the same form
    with page.expect_navigation():
        page.locator(f"a[href='/workspace/orders/order/{order.pk}/edit/']").click()
    assert page.input_value("#id_title") == "Обеспечить ремонт поликлиник"
    page.fill("#id_title", "Обеспечить ремонт поликлиник края")
    page.check("#id_issue")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    order.refresh_from_db()
    root = order.assignment
    assert not order.is_draft and root is not None and root.executor_organisation == gov.health
    assert order.title == "Обеспечить ремонт поликлиник края"

    # the head of the ministry finds it among his assignments and delegates it to an executor two levels down
    _as(page, live_server, gov.head)
    page.goto(f"{base}/workspace/orders/?list=mine")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Обеспечить ремонт поликлиник края")).first.click()
    assert page.url == f"{base}/workspace/orders/control/{root.pk}/"
    _pick(page, "#id_delegate-executor_organisation", "отдел", "Отдел — Управление")
    _pick(page, "#id_delegate-executor_user", "", f"{gov.executor.short_name} — Отдел — Управление")
    page.fill("#id_delegate-text", "Подготовить сметы.")
    screenshot(page, "orders-delegate")
    _submit_action(page, "delegate")
    child = Assignment.objects.get(parent=root)
    assert (child.executor_organisation, child.executor_user, child.issuer) == (gov.subunit, gov.executor, gov.head)
    assert child.deadline <= root.deadline

    # the executor reports
    _as(page, live_server, gov.executor)
    page.goto(f"{base}/workspace/orders/?list=mine")
    with page.expect_navigation():
        page.locator(f"a[href='/workspace/orders/control/{child.pk}/']").first.click()
    page.fill("#id_report-text", "Сметы подготовлены, ремонт начат.")
    _submit_action(page, "report")
    child.refresh_from_db()
    assert child.status == Status.REPORTED and Report.objects.get(assignment=child).author == gov.executor

    # the head accepts his executor's report and reports up to the governor
    _as(page, live_server, gov.head)
    page.goto(f"{base}/workspace/orders/?list=to_accept")
    with page.expect_navigation():
        page.locator(f"a[href='/workspace/orders/control/{child.pk}/']").first.click()
    _submit_action(page, "accept")
    child.refresh_from_db()
    assert child.status == Status.DONE
    page.goto(f"{base}/workspace/orders/control/{root.pk}/")
    page.fill("#id_report-text", "Поручение исполнено.")
    _submit_action(page, "report")

    # the governor, the issuer, accepts: the order is removed from control as executed
    _as(page, live_server, gov.governor)
    page.goto(f"{base}/workspace/orders/?list=to_accept")
    with page.expect_navigation():
        page.locator(f"a[href='/workspace/orders/control/{root.pk}/']").first.click()
    _submit_action(page, "accept")
    root.refresh_from_db()
    assert root.status == Status.DONE and root.completed_on is not None

    # the dashboard: the region → the social block → the ministry; the order counts as executed
    page.goto(f"{base}/workspace/orders/dashboard/")
    page.wait_for_selector("#orders-chart canvas, #orders-chart svg")
    social = page.locator("tbody tr", has_text=gov.social.name)
    assert social.locator("td").nth(0).inner_text().strip() == "1"  # total
    assert social.locator("td").nth(1).inner_text().startswith("1")  # executed, with its share
    screenshot(page, "orders-dashboard")
    # the PDF beside the XLSX export downloads
    with page.expect_download() as download:
        page.locator("a[href*='format=pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_navigation():
        social.get_by_role("link", name=gov.social.name).click()
    health = page.locator("tbody tr", has_text=gov.health.name)
    assert health.locator("td").nth(1).inner_text().startswith("1")
    assert health.locator("td").nth(3).inner_text().split()[0] == "0"  # nothing overdue
    # the executed number is a link to the list behind it, and the list leads to the order
    with page.expect_navigation():
        health.locator("td").nth(1).get_by_role("link").click()
    assert "bucket=done" in page.url
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    with page.expect_navigation():
        rows.first.get_by_role("link", name=re.compile("Обеспечить ремонт поликлиник края")).click()
    assert page.url == f"{base}/workspace/orders/control/{root.pk}/"
    assert page.locator("h1").inner_text().endswith("Обеспечить ремонт поликлиник края")
    assert page.js_errors == []
