"""A member of staff logs in through the form, reaches the workspace and switches the language."""

import pytest

from krai.org.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _switch_language(page, code: str) -> None:
    page.select_option("#krai-language-footer", code)
    page.get_by_role("contentinfo").locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_staff_logs_in_reaches_the_workspace_and_switches_language(page, live_server, region):
    vice = region["vice"]
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    screenshot(page, "portal-home-anonymous")

    page.locator("header").get_by_role("link", name="Войти").click()
    page.wait_for_url("**/accounts/login/**")
    screenshot(page, "login")
    page.fill("input[name=username]", vice.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    header = page.locator("header")
    header.locator("#krai-account-toggle").click()  # the way to the other face is in the account menu
    header.get_by_role("link", name="Рабочее пространство").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    assert header.get_by_text(vice.short_name).is_visible()
    assert page.get_by_role("heading", name="Ваши роли").is_visible()
    assert page.get_by_text("Социальный блок").first.is_visible()
    assert "Министерство финансов края" not in page.content()  # another block: out of his scope
    screenshot(page, "workspace-home-ru")

    _switch_language(page, "en")
    assert page.url == f"{live_server.url}/workspace/"
    assert page.locator("html").get_attribute("lang") == "en"
    brand = page.locator("header .navbar-brand")
    assert "Workspace" in brand.text_content()  # shown from 1400 px: at 1280 the bar has no room for it
    assert page.get_by_role("heading", name="Your roles").is_visible()
    screenshot(page, "workspace-home-en")

    _switch_language(page, "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Рабочее пространство" in brand.text_content()
    assert page.get_by_role("heading", name="Ваши роли").is_visible()
    assert page.js_errors == []


def test_citizen_is_kept_out_of_the_workspace_with_a_friendly_page(page, live_server, region):
    from krai.org.tests.factories import UserFactory

    citizen = UserFactory(email="citizen@example.ru")
    page.goto(live_server.url + "/workspace/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=username]", citizen.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "У вас нет доступа к этой странице"
    assert page.get_by_role("link", name="Рабочее пространство").count() == 0
    screenshot(page, "workspace-403")
