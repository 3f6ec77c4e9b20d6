"""Consolidation's pages as a controller meets them: idle when nothing is configured; on a receiver the sources
with counts that link to the list filtered exactly so; the list's filters, paging and escaping; on a source the
push state, "push now" and "resend everything"; nobody but controllers and administrators."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.core.events.models import Event
from krai.integration.consolidation.models import ConsolidatedOrder, ConsolidationSource, PushCursor
from krai.integration.consolidation.tests.helpers import UPSTREAM, configure
from krai.integration.tests.factories import administrator, controller
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db

HOME = "/workspace/integration/consolidation/"
LIST = "/workspace/integration/consolidation/orders/"


def _orders(source: ConsolidationSource, count: int, *, start: int = 1, **fields) -> None:
    today = timezone.localdate()
    for n in range(start, start + count):
        values = {"number": f"{source.code}-{n}", "title": f"Поручение {n}", "executor": "Министерство экономики",
                  "deadline": today + timedelta(days=10), "status": "in_progress", "is_open": True, "version": n,
                  "url": f"https://{source.code}.krai.test/workspace/orders/order/{n}/", **fields}
        ConsolidatedOrder.objects.create(source=source, remote_id=n, **values)


@pytest.fixture
def region(db, settings):
    """A receiver with two sources: some open, some overdue, some executed."""
    configure(settings, source=False)
    economy = ConsolidationSource.objects.create(code="economy", name="Экономический блок",
                                                 last_received_at=timezone.now())
    social = ConsolidationSource.objects.create(code="social", name="Социальный блок")
    past = timezone.localdate() - timedelta(days=3)
    _orders(economy, 4)
    _orders(economy, 3, start=10, deadline=past)  # overdue
    _orders(economy, 2, start=20, deadline=past, status="done", is_open=False, closed_on=past)  # late, not overdue
    _orders(social, 5)
    _orders(social, 1, start=30, deadline=past, status="reported")
    return {"economy": economy, "social": social}


def _login(client, user=None):
    user = user or controller()
    client.force_login(user)
    return user


def test_an_installation_with_nothing_configured_says_it_is_idle(client, settings):
    settings.KRAI_CONSOLIDATION_UPSTREAM_URL = settings.KRAI_CONSOLIDATION_SOURCES = ""
    _login(client)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Consolidation is not in use here" in response.content.decode()
    assert reverse("consolidation:home") == HOME


def test_each_count_links_to_the_list_filtered_exactly_so(client, region):
    _login(client)
    page = client.get(HOME).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-count="(\w+)"[^>]*>(\d+)</a>', page)
    assert len(links) == 6
    expected = {("economy", "orders"): 9, ("economy", "open"): 7, ("economy", "overdue"): 3,
                ("social", "orders"): 6, ("social", "open"): 6, ("social", "overdue"): 1}
    for href, kind, shown in links:
        href = href.replace("&amp;", "&")
        code = re.search(r"source=(\w+)", href).group(1)
        assert int(shown) == expected[(code, kind)]
        listed = client.get(href)
        total = re.search(r'id="krai-consolidated-total">(\d+)<', listed.content.decode()).group(1)
        assert int(total) == int(shown), href


def test_a_configured_source_that_never_pushed_is_listed_and_the_page_works_without_settings(client, region,
                                                                                            settings):
    settings.KRAI_CONSOLIDATION_SOURCES = "economy=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw,north=whsec_abc"
    _login(client)
    page = client.get(HOME).content.decode()
    assert 'data-source="north"' in page and "never" in page
    assert "not in this installation's settings" in page  # social is stored but no longer configured
    settings.KRAI_CONSOLIDATION_SOURCES = ""  # the demo: stored rows only
    page = client.get(HOME).content.decode()
    assert 'data-source="economy"' in page and 'data-source="social"' in page


def test_the_list_filters_by_source_status_overdue_and_words(client, region):
    _login(client)

    def total(query: str) -> int:
        page = client.get(LIST + query).content.decode()
        return int(re.search(r'id="krai-consolidated-total">(\d+)<', page).group(1))

    assert total("") == 15
    assert total("?source=social") == 6
    assert total("?status=done") == 2
    assert total("?status=closed") == 2
    assert total("?status=reported&source=social") == 1
    assert total("?overdue=1") == 4
    assert total("?overdue=0") == 11
    assert total("?q=economy-1") == 4  # economy-1, -10, -11, -12
    assert total("?q=Поручение 30") == 1
    assert total("?status=nonsense") == 15  # an invalid filter is left out


def test_rows_link_to_the_order_on_its_installation_and_user_text_is_escaped(client, region):
    ConsolidatedOrder.objects.filter(remote_id=1, source=region["economy"]).update(
        title="<script>alert(1)</script>", executor="<b>Министерство</b>")
    _login(client)
    page = client.get(LIST + "?source=economy").content.decode()
    assert 'href="https://economy.krai.test/workspace/orders/order/1/"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>Министерство</b>" not in page


def test_the_list_pages_and_reaches_every_row(client, region):
    _orders(region["social"], 60, start=100)
    _login(client)
    first = client.get(LIST).content.decode()
    second = client.get(LIST + "?page=2").content.decode()
    rows = re.findall(r'data-remote="([\w:]+)"', first) + re.findall(r'data-remote="([\w:]+)"', second)
    assert len(rows) == len(set(rows)) == 75
    assert 'rel="next"' in first


def test_the_source_page_shows_the_push_state_and_pushes_now(client, gov, settings):
    from krai.orders.tests.factories import issued_order

    configure(settings, receiver=False)
    issued_order(gov)
    PushCursor.objects.create(upstream=UPSTREAM, failures=2, last_error="ConnectionError: refused",
                              next_attempt_at=timezone.now() + timedelta(minutes=2))
    _login(client, gov.controller)
    page = client.get(HOME).content.decode()
    assert 'data-pending="3"' in page  # created, opened, issued
    assert "ConnectionError: refused" in page and "2 failures in a row" in page
    assert "Consolidated orders" not in page  # not a receiver
    response = client.post(reverse("consolidation:push"))
    assert response.status_code == 302
    cursor = PushCursor.objects.get()
    assert cursor.next_attempt_at <= timezone.now()
    assert Event.objects.filter(kind="consolidation.push_requested", actor=gov.controller).exists()


def test_resend_from_the_page(client, gov, settings):
    configure(settings, receiver=False)
    PushCursor.objects.create(upstream=UPSTREAM, last_event_id=40)
    _login(client, gov.controller)
    client.post(reverse("consolidation:resend"), {"mode": "events"})
    assert PushCursor.objects.get().last_event_id == 0
    assert Event.objects.get(kind="consolidation.resend_requested").payload["mode"] == "events"
    response = client.post(reverse("consolidation:resend"), {"mode": "everything"}, follow=True)
    assert "Choose what to send again." in response.content.decode()
    assert Event.objects.filter(kind="consolidation.resend_requested").count() == 1


def test_push_now_where_nothing_is_configured_says_why_and_changes_nothing(client, settings):
    settings.KRAI_CONSOLIDATION_UPSTREAM_URL = ""
    _login(client)
    response = client.post(reverse("consolidation:push"), follow=True)
    assert "pushes its orders nowhere" in response.content.decode()
    assert not PushCursor.objects.exists()
    assert not Event.objects.filter(kind__startswith="consolidation.").exists()


@pytest.mark.parametrize("who", ["executor", "head", "vice", "plain staff", "citizen"])
def test_only_controllers_and_administrators_see_it(client, region, who):
    if who == "citizen":
        user = UserFactory()
    else:
        user = StaffFactory()
        role = {"executor": Role.EXECUTOR, "head": Role.HEAD, "vice": Role.VICE_GOVERNOR}.get(who)
        if role:
            assign(user, role)
    client.force_login(user)
    for url in (HOME, LIST):
        assert client.get(url).status_code == 403
    for url in (reverse("consolidation:push"), reverse("consolidation:resend")):
        assert client.post(url, {"mode": "events"}).status_code == 403
    assert not Event.objects.filter(kind__startswith="consolidation.").exists()


def test_an_administrator_sees_it_and_the_anonymous_are_sent_to_log_in(client, region):
    assert client.get(HOME).status_code == 302
    _login(client, administrator())
    assert client.get(HOME).status_code == 200
    assert client.get(LIST).status_code == 200


def test_the_overdue_mark_is_this_installations_calendar(region):
    row = ConsolidatedOrder.objects.filter(status="reported").first()
    assert row.is_overdue()
    assert not row.is_overdue(today=date(2000, 1, 1))
