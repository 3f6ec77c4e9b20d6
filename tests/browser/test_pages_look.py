"""Every main page renders without script errors and fits a phone's screen (no sideways scrolling)."""

import re

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser

PAGES = ["/", "/structure/", "/structure/health/", "/municipalities/", "/lawmaking/", "/lawmaking/statistics/"]
PAGES += ["/construction/", "/construction/requests/", "/construction/illegal/", "/works/", "/works/statistics/"]


@pytest.mark.parametrize("width", [375, 1280])
def test_portal_pages_fit_the_screen(page, live_server, region, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        name = path.strip("/").replace("/", "-") or "home"
        screenshot(page, f"portal-{name}-{width}")
    assert page.js_errors == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, live_server, region):
    page.goto(live_server.url + "/structure/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator(".krai-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_workspace_fits_a_phone(page, live_server, region):
    from django.test import Client

    client = Client()
    client.force_login(region["vice"])
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/workspace/", "/workspace/structure/", f"/workspace/structure/{region['health'].pk}/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    screenshot(page, "workspace-structure-375")
    page.get_by_role("button", name="Показать или скрыть меню").click()
    assert page.locator("header").get_by_role("link", name="Структура", exact=True).is_visible()
    screenshot(page, "workspace-menu-375")


ADMINISTRATOR_PAGES = ["/workspace/integration/", "/workspace/integration/systems/", "/workspace/integration/log/",
                       "/workspace/integration/webhooks/", "/workspace/integration/webhooks/dead/",
                       "/workspace/integration/docflow/", "/workspace/integration/docflow/channels/",
                       "/workspace/integration/consolidation/", "/workspace/administration/",
                       "/workspace/administration/review/", "/workspace/administration/deputies/",
                       "/workspace/administration/efficiency/", "/accounts/acting/",
                       "/workspace/planner/", "/workspace/planner/?view=month", "/workspace/planner/?view=day",
                       "/workspace/planner/entries/new/", "/workspace/planner/given/", "/workspace/planner/feed/",
                       "/workspace/planner/import/", "/notifications/devices/", "/workspace/planner/voice/",
                       "/offline/"]


@pytest.mark.parametrize("width", [375, 1280])
def test_integration_administration_and_planner_fit_the_screen(page, live_server, region, width):
    from django.test import Client

    from krai.org.models import Role
    from krai.org.tests.factories import StaffFactory, assign

    admin = StaffFactory(surname="Администраторов")
    assign(admin, Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 800})
    for path in ADMINISTRATOR_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        screenshot(page, "workspace-" + re.sub(r"\W+", "-", path.strip("/")) + f"-{width}")
    assert page.js_errors == []
