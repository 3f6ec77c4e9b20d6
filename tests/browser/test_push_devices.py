"""The "this device" page in a real browser, as a resident on a phone: the page's script registers the service
worker, finds this browser not subscribed and offers the button; the page fits the phone; a listed browser is
removed with its button."""

from __future__ import annotations

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_resident_sees_the_subscribe_button_and_removes_a_device(page, live_server, settings):
    from django.test import Client

    from krai.core.notifications.models import PushSubscription
    from krai.core.notifications.tests.push_fixtures import use_vapid
    from krai.org.tests.factories import UserFactory

    use_vapid(settings)
    resident = UserFactory(surname="Житель")
    PushSubscription.objects.create(user=resident, endpoint="https://push.example.net/old", p256dh="x", auth="y",
                                    user_agent="Старый телефон")
    client = Client()
    client.force_login(resident)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.goto(live_server.url + "/notifications/devices/").status == 200
    button = page.locator("#krai-push-subscribe")
    button.wait_for(state="visible")  # the script ran: this browser is not subscribed yet
    assert page.locator("#krai-push-unsubscribe").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(page, "notifications-devices-375")
    page.locator("#krai-push-devices-list form button").click()
    page.wait_for_url("**/notifications/devices/")
    page.locator("#krai-push-devices-list [data-endpoint]").wait_for(state="detached")
    assert not PushSubscription.objects.exists()
    assert page.js_errors == []
