"""A project office's journey in the deployed shape: the health ministry's head builds a project in his
programme through the pages — a stage, two tasks and a control point linked in a chain — saves a baseline,
moves the first task's finish, is warned that the control point moves, confirms, and sees the chain shift on
the plan, the slippage against the baseline, and the roadmap drawn. On a desktop (1280 px) and on a phone
(390 px), never scrolling sideways."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

HEAD = "head.health@demo.krai"  # krai/projects/demo.py: he manages the health programme's projects


@pytest.fixture(scope="module")
def head(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler.context(HEAD)
    crawler.close()


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def _add_item(page, url: str, *, kind: str, title: str, start: date, finish: date, parent: str = "") -> None:
    page.goto(url + "items/new/")
    page.select_option("#id_kind", kind)
    page.fill("#id_title", title)
    if parent:
        value = page.eval_on_selector(
            "#id_parent", "(s, w) => [...s.options].find(o => o.text.trim().startsWith(w + ' ')).value", parent)
        page.select_option("#id_parent", value=value)
    page.fill("#id_planned_start", start.isoformat())
    page.fill("#id_planned_finish", finish.isoformat())
    _submit(page, "#item-form")
    assert page.url == url, page.locator(".invalid-feedback, .alert-danger").all_inner_texts()


def _item_id(page, url: str, wbs: str) -> str:
    """The id of the item numbered ``wbs`` (read off the plan's table without leaving the page)."""
    return page.evaluate("""async ([url, wbs]) => {
        const html = await (await fetch(url)).text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        return doc.querySelector(`#wbs tr[data-wbs='${wbs}']`).dataset.item;
    }""", [url, wbs])


def _row(page, wbs: str) -> dict:
    row = page.locator(f"#wbs tbody tr[data-wbs='{wbs}']")
    return {"start": row.locator("td[data-start]").get_attribute("data-start"),
            "finish": row.locator("td[data-finish]").get_attribute("data-finish")}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_project_office_builds_links_moves_and_compares_with_the_baseline(head, installation, viewport):
    page = head.new_page()
    page.set_viewport_size(viewport)
    # a drag into a confirmation answers 409: the browser's own console line, not a fault of the page
    errors = watch_errors(page, ignore=("status of 409",))
    code = f"journey-{viewport['width']}"
    base = date(date.today().year + 1, 2, 1)
    try:
        page.goto(installation.url + "/workspace/projects/")
        fits(page, "the list of projects")
        with page.expect_navigation():
            page.locator("#programme-list a", has_text="Здравоохранение").first.click()
        with page.expect_navigation():
            page.click("#project-new")
        page.fill("#id_code", code)
        page.fill("#id_title", "Модернизация первичного звена: журнал")
        page.fill("#id_starts_on", base.isoformat())
        page.fill("#id_ends_on", (base + timedelta(days=300)).isoformat())
        fits(page, "the project form")
        _submit(page, "#project-form")
        url = f"{installation.url}/workspace/projects/p/{code}/"
        assert page.url == url, page.locator(".invalid-feedback").all_inner_texts()

        _add_item(page, url, kind="stage", title="Проектирование", start=base, finish=base + timedelta(days=200))
        _add_item(page, url, kind="task", title="Изыскания", start=base, finish=base + timedelta(days=13),
                  parent="1")
        _add_item(page, url, kind="task", title="Проектная документация", start=base + timedelta(days=14),
                  finish=base + timedelta(days=41), parent="1")
        _add_item(page, url, kind="control_point", title="Документация утверждена", start=base + timedelta(days=60),
                  finish=base + timedelta(days=60), parent="1")
        fits(page, "the plan")

        # link 1.1 → 1.2 → 1.3 on the successors' pages
        for successor, predecessor in (("1.2", "1.1"), ("1.3", "1.2")):
            with page.expect_navigation():
                page.locator(f"#wbs tr[data-wbs='{successor}'] a").first.click()
            with page.expect_navigation():
                page.click("#link-add")
            page.fill("#id_predecessor", predecessor)
            _submit(page, "#link-form")
            assert predecessor in page.locator("#item-before").inner_text()
            page.goto(url)

        page.goto(url + "baselines/")
        page.fill("#id_name", "Утверждённый план")
        _submit(page, "#baseline-form")
        assert page.locator("#slippage tbody tr[data-status='same']").count() == 4

        page.goto(url)
        before = {wbs: _row(page, wbs) for wbs in ("1.2", "1.3")}
        with page.expect_navigation():
            page.locator("#wbs tr[data-wbs='1.1'] a").first.click()
        with page.expect_navigation():
            page.click("#item-move")
        page.fill("#id_planned_finish", (base + timedelta(days=80)).isoformat())
        _submit(page, "#dates-form")
        warnings = page.locator("#shift-warnings li[data-code='control_point']")
        assert warnings.count() == 1, page.locator("main").inner_text()
        fits(page, "the warnings of a move")
        _submit(page, "#dates-form")  # "Move anyway"
        assert page.url == url
        assert "сдвину" in page.locator(".krai-messages").inner_text().lower()
        after = {wbs: _row(page, wbs) for wbs in ("1.2", "1.3")}
        assert after["1.2"]["start"] > before["1.2"]["start"]
        assert after["1.2"]["start"] > (base + timedelta(days=80)).isoformat()
        assert after["1.3"]["finish"] > after["1.2"]["finish"] >= before["1.3"]["finish"]

        page.goto(url + "baselines/")
        slipped = page.locator("#slippage tbody tr[data-status='moved']")
        assert slipped.count() == 3
        assert all(int(s) > 0 for s in page.eval_on_selector_all(
            "#slippage tbody tr[data-status='moved']", "rs => rs.map(r => r.dataset.slip)"))
        fits(page, "the slippage")

        page.goto(url + "gantt/")
        page.wait_for_selector("#gantt-chart[data-ready] svg .bar-wrapper", timeout=10000)
        assert page.locator("#gantt-chart svg .bar-wrapper").count() == 4
        fits(page, "the roadmap")
        if viewport is DESKTOP:
            # drag 1.2 a week later: the control point after it moves, so the page asks first
            page.click("#gantt-zoom button:has-text('Недели')")
            page.wait_for_selector("#gantt-chart[data-ready] svg .bar-wrapper")
            bar = page.locator(f"#gantt-chart .bar-wrapper[data-id='{_item_id(page, url, '1.2')}'] .bar")
            bar.scroll_into_view_if_needed()
            box = bar.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.down()
            page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2, steps=8)
            page.mouse.up()
            page.wait_for_selector("#gantt-confirm.show", timeout=10000)
            assert page.locator("#gantt-confirm-warnings li").count() >= 1
            page.click("#gantt-confirm-go")
            page.wait_for_function("() => /Перенесено/.test(document.querySelector('#gantt-status').textContent)")
            page.goto(url)
            assert _row(page, "1.2")["start"] > after["1.2"]["start"]
        assert not errors, errors
    finally:
        page.close()
