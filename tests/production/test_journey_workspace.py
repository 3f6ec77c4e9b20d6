"""Officials' journeys in the deployed shape: the header fits a 1280 px screen and a phone with the logout within
reach; the home shows each person's figures and each figure leads to a list of exactly that many rows; the head of
a body delegates an assignment choosing the unit and the person through the search (not a list of 246 names)."""

from __future__ import annotations

import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

GOVERNOR, VICE, HEAD, EXECUTOR = ("governor@demo.krai", "vice.social@demo.krai", "head.health@demo.krai",
                                  "exec1.unit1.health@demo.krai")


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _open(crawler, login: str, path: str, viewport: dict = DESKTOP):
    page = crawler.context(login).new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    page.goto(crawler.installation.url + path)
    page.krai_errors = errors
    return page


def _rows(page) -> int:
    """The rows of an orders list over all its pages."""
    total = 0
    for _ in range(50):
        total += page.locator("main table tbody tr").count()
        following = page.locator("main a[rel=next]")
        if not following.count():
            return total
        with page.expect_navigation():
            following.first.click()
    raise AssertionError("more than 50 pages")


def _search(page, select: str, typed: str, every: str | None = None) -> list[str]:
    """Type into a picker's search box (krai/picker.js); the answers once each has ``every`` (default: the words
    typed) in its label."""
    page.fill(f"{select}-search", typed)
    words = (every or typed).casefold().split()
    page.wait_for_function(
        """([select, words]) => {
            const items = [...document.querySelectorAll(select + '-search ~ ul:not([hidden]) [role=option]')];
            return items.length && items.every(li => words.every(w => li.textContent.toLowerCase().includes(w)));
        }""", arg=[select, words])
    return page.locator(f"{select}-search ~ ul [role=option]").all_inner_texts()


def _choose(page, select: str, text: str) -> None:
    page.locator(f"{select}-search ~ ul [role=option]", has_text=text).first.click()
    assert text in page.eval_on_selector(select, "s => s.selectedOptions[0].text")


def test_the_head_of_a_body_delegates_choosing_unit_and_person_by_search(crawler):
    found = crawler.installation.krai("shell", "-c", "from krai.org.models import User; "
                                      f"print(User.objects.get(email='{EXECUTOR}').short_name)")
    assert found.returncode == 0, found.stderr
    executor = found.stdout.strip().splitlines()[-1]
    # the governor gives the ministry an order, choosing it through the search (the demo's own are overdue, and
    # an overdue assignment cannot be passed on: a child's deadline is never in the past)
    page = _open(crawler, GOVERNOR, "/workspace/orders/new/")
    page.fill("#id_title", "Подготовить план диспансеризации")
    page.fill("#id_text", "Подготовить и представить план.")
    _search(page, "#id_lead_organisation", "министерство здрав")
    _choose(page, "#id_lead_organisation", "Министерство здравоохранения")
    page.fill("#id_working_days", "15")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert re.search(r"/workspace/orders/order/\d+/$", page.url), page.locator("main").inner_text()[:1500]
    root = page.locator("main a[href*='/workspace/orders/control/']").first.get_attribute("href")
    page.close()

    page = _open(crawler, HEAD, root)
    form = page.locator("form[action$='/delegate/']")
    assert form.count(), f"no delegate form on {page.url}"
    units = _search(page, "#id_delegate-executor_organisation", "кадров")
    assert len(units) == len(set(units)) and all(label.endswith("— Минздрав края") for label in units), units
    _choose(page, "#id_delegate-executor_organisation", "Отдел кадровой политики")
    people = _search(page, "#id_delegate-executor_user", executor.split()[0], every="Отдел кадровой политики")
    assert people and all("Отдел кадровой политики" in label for label in people), people
    _choose(page, "#id_delegate-executor_user", executor)
    form.locator("textarea").fill("Подготовить справку.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".alert-success").count(), page.locator("main").inner_text()[:1000]
    assert executor in page.locator("main").inner_text()
    assert not page.krai_errors, page.krai_errors
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "phone"])
@pytest.mark.parametrize("login", [GOVERNOR, VICE, EXECUTOR])
def test_the_header_fits_and_the_logout_is_within_reach(crawler, login, viewport):
    page = _open(crawler, login, "/workspace/", viewport)
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide on a {width[1]} px screen"
    toggler = page.locator("header .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("header .navbar-collapse.show").wait_for()  # unfolded (not while it is still sliding)
    account = page.locator("#krai-account-toggle")
    account.click()
    page.locator("#krai-account-toggle[aria-expanded=true]").wait_for()
    logout = page.locator("header .krai-logout")
    logout.wait_for(state="visible")
    box = logout.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert page.locator("header .krai-language-switch button").is_visible()
    assert not page.krai_errors, page.krai_errors
    page.close()


@pytest.mark.parametrize("login", [GOVERNOR, VICE, EXECUTOR])
def test_the_home_figures_lead_to_lists_of_that_many_rows(crawler, login):
    page = _open(crawler, login, "/workspace/", PHONE if login == VICE else DESKTOP)
    figures = page.eval_on_selector_all(
        "main [data-figure]", "els => els.map(e => [e.dataset.figure, e.querySelector('[data-count]').dataset.count,"
        " (e.tagName === 'A' ? e : e.querySelector('a')).getAttribute('href')])")
    keys = {key for key, _count, _href in figures}
    if login == EXECUTOR:  # he was given an assignment by the delegation above
        assert keys == {"mine", "mine_overdue"}
        assert int({k: c for k, c, _h in figures}["mine"]) >= 1
        assert page.locator("main section[aria-labelledby=krai-mine-title] .list-group li").count() >= 1
    else:
        assert keys >= {"on_control", "overdue", "done_month"}
        assert int({k: c for k, c, _h in figures}["on_control"]) > 0
    for key, count, href in figures:
        listed = _open(crawler, login, href)
        assert _rows(listed) == int(count), f"{key}: the home says {count}, {href} lists otherwise"
        listed.close()
    # the orders page opens on "under my control" for those who give orders, on his own for an executor
    orders = _open(crawler, login, "/workspace/orders/")
    current = orders.locator("main nav a[aria-current=page]").first.get_attribute("href")
    assert current.endswith("list=mine" if login == EXECUTOR else "list=given"), current
    orders.close()
    page.close()
