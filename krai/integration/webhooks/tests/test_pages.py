"""The webhooks' pages: the list, the form (errors by field, nothing changed), an endpoint's page and its actions,
the dead letters with replay of chosen ones, a delivery with its attempts; 403 for others, 404 for missing rows,
user text escaped."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.integration.models import ExchangeMessage
from krai.integration.tests.factories import administrator, controller, external_system
from krai.integration.webhooks import delivery
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint
from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint
from krai.orders.tests.factories import government, issued_order

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


@pytest.fixture
def admin(client):
    user = administrator()
    client.force_login(user)
    return user


def test_the_list_shows_endpoints_escaped_and_is_for_administrators_only(client, admin):
    hook = endpoint(actor=admin, description=XSS)
    page = client.get(reverse("webhooks:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert hook.url in html and XSS not in html and "&lt;script&gt;" in html
    assert reverse("webhooks:endpoint", args=[hook.pk]) in html and 'class="table-responsive"' in html
    client.force_login(controller())
    assert client.get(reverse("webhooks:home")).status_code == 403
    assert client.get(reverse("webhooks:endpoint", args=[hook.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("webhooks:home")).status_code == 302


def test_the_form_shows_errors_by_field_and_changes_nothing_then_creates(client, admin):
    system = external_system()
    page = client.get(reverse("webhooks:new"))
    assert page.status_code == 200 and 'data-krai-picker="local"' in page.content.decode()
    bad = client.post(reverse("webhooks:new"), {"system": system.pk, "url": "ftp://x.ru/h", "event_kinds": "orders",
                                                "scope": "region", "is_active": "on"})
    assert bad.status_code == 400 and not Endpoint.objects.exists()
    form = bad.context["form"]
    assert form.errors.get("url") or form.errors.get("event_kinds")
    bad = client.post(reverse("webhooks:new"), {"system": system.pk, "url": "ftp://x.ru/h", "event_kinds": "orders.*",
                                                "scope": "region"})
    assert "url" in bad.context["form"].errors and not Endpoint.objects.exists()
    bad = client.post(reverse("webhooks:new"), {"system": system.pk, "url": "http://x.ru/h", "event_kinds": "orders.*",
                                                "scope": "organisation"})
    assert "organisation" in bad.context["form"].errors and not Endpoint.objects.exists()
    done = client.post(reverse("webhooks:new"), {"system": system.pk, "url": "http://x.ru/h",
                                                 "event_kinds": "orders.*\ncontrol.*", "scope": "region",
                                                 "is_active": "on"})
    hook = Endpoint.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("webhooks:endpoint", args=[hook.pk])
    assert hook.event_kinds == ["orders.*", "control.*"] and hook.is_active
    edit = client.post(reverse("webhooks:edit", args=[hook.pk]), {
        "system": system.pk, "url": "https://y.ru/h", "event_kinds": "*", "scope": "region", "description": "СЭД"})
    hook.refresh_from_db()
    assert edit.status_code == 302 and (hook.url, hook.event_kinds, hook.is_active) == ("https://y.ru/h", ["*"], False)


def test_an_endpoints_page_its_actions_and_its_deliveries(client, admin):
    gov = government()
    hook = endpoint(actor=admin, kinds=["orders.*"])
    issued_order(gov)
    dispatch_events()
    delivery.send_due()  # port 9: refused
    page = client.get(reverse("webhooks:endpoint", args=[hook.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and hook.secret in html and "msg_" in html
    assert client.get(reverse("webhooks:endpoint", args=[hook.pk]), {"status": "delivered"}).context["total"] == 0
    assert client.get(reverse("webhooks:endpoint", args=[hook.pk]), {"status": "pending"}).context["total"] == 2
    old = hook.secret
    client.post(reverse("webhooks:rotate", args=[hook.pk]))
    hook.refresh_from_db()
    assert hook.secret != old
    client.post(reverse("webhooks:toggle", args=[hook.pk]))
    hook.refresh_from_db()
    assert not hook.is_active
    pinged = client.post(reverse("webhooks:ping", args=[hook.pk]), follow=True)
    assert "was not received" in pinged.content.decode()
    Delivery.objects.update(status=DeliveryStatus.DEAD, dead_at=timezone.now())
    client.post(reverse("webhooks:replay_dead", args=[hook.pk]))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    Delivery.objects.update(status=DeliveryStatus.DELIVERED)
    bad = client.post(reverse("webhooks:replay_since", args=[hook.pk]), {"since": "never"}, follow=True)
    assert "Enter the moment" in bad.content.decode()
    client.post(reverse("webhooks:replay_since", args=[hook.pk]), {"since": "2020-01-01T00:00"})
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert client.get(reverse("webhooks:endpoint", args=[hook.pk + 50])).status_code == 404
    assert client.get(reverse("webhooks:rotate", args=[hook.pk])).status_code == 405
    client.post(reverse("webhooks:delete", args=[hook.pk]))
    assert not Endpoint.objects.exists()


def test_dead_letters_filter_and_replay_of_the_chosen_ones(client, admin):
    gov = government()
    hook = endpoint(actor=admin, kinds=["orders.order_issued", "control.opened"])
    other = endpoint(actor=admin, system=external_system("other"), kinds=["orders.order_issued"])
    issued_order(gov)
    dispatch_events()
    delivery.send_due()
    Delivery.objects.update(status=DeliveryStatus.DEAD, dead_at=timezone.now())
    page = client.get(reverse("webhooks:dead"))
    assert page.status_code == 200 and page.context["total"] == 3
    assert client.get(reverse("webhooks:dead"), {"endpoint": hook.pk}).context["total"] == 2
    assert client.get(reverse("webhooks:dead"), {"kind": "control.*"}).context["total"] == 1
    today = timezone.localdate().isoformat()
    assert client.get(reverse("webhooks:dead"), {"since": today, "until": today}).context["total"] == 3
    assert client.get(reverse("webhooks:dead"), {"until": "2000-01-01"}).context["total"] == 0
    chosen = Delivery.objects.filter(endpoint=other).get()
    done = client.post(reverse("webhooks:dead_replay"), {"delivery": [chosen.pk], "back": "https://evil.ru/"})
    assert done["Location"] == reverse("webhooks:dead")
    chosen.refresh_from_db()
    assert chosen.status == "pending" and Delivery.objects.filter(status="dead").count() == 2
    nothing = client.post(reverse("webhooks:dead_replay"), {}, follow=True)
    assert "Choose the deliveries" in nothing.content.decode()


def test_a_delivery_shows_each_attempt_and_is_replayed_from_its_page(client, admin):
    gov = government()
    hook = endpoint(actor=admin, kinds=["orders.order_issued"])
    issued_order(gov)
    dispatch_events()
    now = timezone.now()
    delivery.send_due(now=now)
    row = Delivery.objects.get()
    page = client.get(reverse("webhooks:delivery", args=[row.pk]))
    assert page.status_code == 200 and page.context["attempts_total"] == 1
    assert "ConnectionError" in page.content.decode()
    assert ExchangeMessage.objects.filter(correlation_id=row.message_id).count() == 1
    Delivery.objects.update(status=DeliveryStatus.DEAD)
    client.post(reverse("webhooks:delivery", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == "pending" and row.replays == 1
    assert client.get(reverse("webhooks:delivery", args=[row.pk + 10])).status_code == 404
    assert hook.pk
