"""Administration's pages checked by axe-core (serious and critical WCAG 2.1 A/AA violations fail) and on a phone's
screen (390 px, no sideways scrolling, no script error): access management (the people, a person, a bulk change's
preview, the review of an object and of a person), the deputies (the lists, the form, a deputyship), the deputy's
switch (``/accounts/acting/``) with the offer and, once he acts, the banner over the workspace, and the efficiency
(the start page, a unit, a person, the drill-down list) as an administrator and as a head. The data is written
through the services and the parts' test factories."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.helpers import WIDE, sign_in
from tests.browser.test_accessibility import AXE, _check, _violations

pytestmark = pytest.mark.browser

PERIOD = "from=2026-03-01&to=2026-03-31"
BULK = "bulk preview"  # not a path: the preview is the answer to the people list's form, reached by clicking
ACTING = "acting"  # not a path: the deputy starts acting from the offer, then the banner is over every page


def _area() -> dict[Any, list[str]]:
    """Every part's pages with something on them, and who looks at them: {user: [paths or steps]}."""
    from krai.administration.tests.efficiency_factories import scenario
    from krai.administration.tests.test_access_review import small_tree
    from krai.org.services import deputies
    from krai.org.tests.factories import StaffFactory

    tree = small_tree()
    admin, today = tree["admin"], timezone.localdate()
    deputy = StaffFactory(surname="Заместителев", given_name="Павел", patronymic="Андреевич")
    acting = deputies.deputyship_appoint(actor=admin, principal=tree["financier"], deputy=deputy, starts_on=today,
                                         ends_on=today + timedelta(days=10), reason="Ежегодный отпуск")
    deputies.deputyship_appoint(actor=admin, principal=tree["head"], deputy=tree["executor"],
                                starts_on=today + timedelta(days=14), ends_on=today + timedelta(days=20),
                                reason="Командировка")
    ended = deputies.deputyship_appoint(actor=admin, principal=tree["vice"], deputy=tree["controller"],
                                        starts_on=today, ends_on=today + timedelta(days=3))
    deputies.deputyship_end(actor=admin, deputyship=ended)
    w = scenario().w
    return {
        admin: ["/workspace/administration/", f"/workspace/administration/people/{tree['head'].pk}/",
                f"/workspace/administration/people/{tree['system'].pk}/", BULK,
                f"/workspace/administration/review/?organisation={tree['health'].pk}",
                f"/workspace/administration/review/organisations/{tree['health'].pk}/",
                f"/workspace/administration/review/people/{tree['head'].pk}/",
                "/workspace/administration/deputies/", "/workspace/administration/deputies/new/",
                f"/workspace/administration/deputies/{acting.pk}/", f"/workspace/administration/deputies/{ended.pk}/",
                f"/workspace/administration/efficiency/?{PERIOD}",
                f"/workspace/administration/efficiency/units/{w.health.pk}/?{PERIOD}",
                f"/workspace/administration/efficiency/people/{w.anna.pk}/?{PERIOD}",
                f"/workspace/administration/efficiency/items/?measure=closed&{PERIOD}"],
        w.head: [f"/workspace/administration/efficiency/?{PERIOD}",
                 f"/workspace/administration/efficiency/units/{w.unit.pk}/?{PERIOD}",
                 f"/workspace/administration/efficiency/items/?measure=overdue&unit={w.subunit.pk}&{PERIOD}"],
        tree["controller"]: ["/workspace/administration/", f"/workspace/administration/people/{tree['head'].pk}/"],
        deputy: ["/accounts/acting/", ACTING, "/workspace/", "/accounts/acting/"],
    }


def _visit(page, base: str, step: str) -> None:
    """Open a page, or take a step that leads to one: the bulk change's preview (two people ticked on the list, a
    role over the region chosen), the switch to acting for the deputy's principal (from the offer's banner)."""
    if step == BULK:
        assert page.goto(base + "/workspace/administration/").status == 200
        for box in page.locator("input.krai-people-pick").all()[:2]:
            box.check()
        form = page.locator("#krai-bulk")
        form.locator("select[name=action]").select_option("grant")
        form.locator("select[name=role]").select_option("controller")
        form.locator("select[name=scope]").select_option("region")
        with page.expect_navigation():
            form.locator("button[name=preview]").click()
        assert page.locator("#krai-bulk-preview").count() == 1, page.content()[:3000]
    elif step == ACTING:
        assert page.goto(base + "/accounts/acting/").status == 200
        with page.expect_navigation():
            page.locator("#krai-acting-offer button[type=submit]").first.click()
        assert page.locator("#krai-acting-banner").is_visible()
    else:
        response = page.goto(base + step)
        assert response.status == 200, step
    page.wait_for_load_state("networkidle")


def test_administration_pages_have_no_serious_accessibility_violations(page, live_server, transactional_db):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    problems = []
    for user, steps in _area().items():
        sign_in(page, live_server, user)
        for step in steps:
            if step.startswith("/"):
                problems += _check(page, live_server.url + step)
            else:
                _visit(page, live_server.url, step)
                problems += [f"{step}: {line}" for line in _violations(page)]
    assert problems == [], "\n".join(problems)
    assert page.js_errors == []


def test_administration_pages_fit_a_phone(page, live_server, transactional_db):
    page.set_viewport_size({"width": 390, "height": 844})
    wide = []
    for user, steps in _area().items():
        sign_in(page, live_server, user)
        for step in steps:
            _visit(page, live_server.url, step)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                wide.append(f"{step} scrolls sideways by {overflow}px: {page.evaluate(WIDE)}")
    assert wide == [], "\n".join(wide)
    assert page.js_errors == []
