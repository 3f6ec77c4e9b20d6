"""A deputy acting for a principal through his session: the switch works only while the deputyship is in force,
the requests are the principal's (his orders, not the deputy's own), every event is marked with the deputy and the
audit trail shows it, the switch drops by itself, the account and /admin/ are refused, a token request is never
switched, the second-factor rule, the banner, and log-in/log-out clean the switch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from krai.accounts.acting import SESSION_KEY
from krai.accounts.second_factor import PROVIDER_VERIFIED
from krai.accounts.tests.factories import make_token
from krai.core.audit.models import AuditEntry
from krai.core.events import dispatch
from krai.core.events.models import Event
from krai.orders.services import order_create, order_issue
from krai.orders.tests.factories import government
from krai.org.models import Deputyship, Role
from krai.org.services import deputies as services
from krai.org.tests.factories import StaffFactory, assign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HEALTH_ORDER = "Проверить готовность поликлиник"
FINANCE_ORDER = "Подготовить проект бюджета"


@pytest.fixture
def setup():
    gov = government()
    admin = StaffFactory(surname="Админов")
    assign(admin, Role.ADMINISTRATOR)
    orders = {}
    for title, lead in ((HEALTH_ORDER, gov.health), (FINANCE_ORDER, gov.finance)):
        order = order_create(actor=gov.governor, title=title, text="Текст", lead_organisation=lead,
                             controller_organisation=gov.control, working_days=10)
        orders[title] = order_issue(actor=gov.governor, order=order, issued_on=TODAY).assignment
    # the head of finance acts for the head of health while he is away
    item = services.deputyship_appoint(actor=admin, principal=gov.head, deputy=gov.finance_head,
                                       starts_on=TODAY, ends_on=TODAY + timedelta(days=6), reason="Отпуск")
    return {"gov": gov, "admin": admin, "item": item, "orders": orders,
            "principal": gov.head, "deputy": gov.finance_head}


def start(client, item):
    return client.post("/accounts/acting/start/", {"deputyship": item.pk})


@pytest.fixture
def acting(client, setup):
    client.force_login(setup["deputy"])
    response = start(client, setup["item"])
    assert response.status_code == 302 and response["Location"] == "/workspace/", response.content[:500]
    return client


def test_the_switch_makes_the_requests_the_principals(client, setup):
    client.force_login(setup["deputy"])
    own = client.get("/workspace/orders/?list=all").content.decode()
    assert FINANCE_ORDER in own and HEALTH_ORDER not in own
    # the banner offers the switch while the deputyship is in force
    assert "Act for" in client.get("/workspace/").content.decode()
    assert start(client, setup["item"]).status_code == 302
    page = client.get("/workspace/orders/?list=all").content.decode()
    assert HEALTH_ORDER in page and FINANCE_ORDER not in page  # the principal's, none of the deputy's own
    finance_root = setup["orders"][FINANCE_ORDER]
    assert client.get(f"/workspace/orders/control/{finance_root.pk}/").status_code == 404
    banner = client.get("/workspace/").content.decode()
    until = (TODAY + timedelta(days=6)).strftime("%d.%m.%Y")
    assert f"You are acting for: {setup['principal'].short_name} (until {until})" in banner
    assert 'action="/accounts/acting/stop/"' in banner
    started = Event.objects.get(kind="org.acting_started")
    assert started.actor == setup["deputy"] and started.deputy_id is None
    assert client.session[AUTH_SESSION_KEY] == str(setup["deputy"].pk)  # the session stays the deputy's


def test_what_he_does_is_marked_and_the_audit_trail_shows_it(acting, setup):
    root = setup["orders"][HEALTH_ORDER]
    response = acting.post(f"/workspace/orders/control/{root.pk}/report/", {"report-text": "Исполнено"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(kind="control.reported")
    assert event.actor == setup["principal"] and event.deputy == setup["deputy"]
    dispatch.deliver_pending()
    entry = AuditEntry.objects.get(event_id=event.pk)
    assert entry.deputy == setup["deputy"] and entry.deputy_repr == setup["deputy"].email
    # the audit page, read by a controller: the deputy beside the actor; a filter by the deputy finds it
    reader = acting.__class__(HTTP_ACCEPT_LANGUAGE="en")
    reader.force_login(setup["gov"].controller)
    page = reader.get(reverse("audit:index"), {"kind": "control.reported"}).content.decode()
    assert f"acting deputy:</span> {setup['deputy'].short_name}" in page
    found = reader.get("/api/v1/audit/", {"actor": setup["deputy"].pk, "kind": "control.reported"}).json()
    assert [row["event_id"] for row in found["results"]] == [event.pk]
    assert found["results"][0]["deputy"] == setup["deputy"].pk
    by_email = reader.get("/api/v1/audit/", {"actor": setup["deputy"].email, "kind": "control.*"}).json()
    assert [row["event_id"] for row in by_email["results"]] == [event.pk]
    # the deputyship's page lists it as done while acting
    admin = acting.__class__(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_login(setup["admin"])
    detail = admin.get(f"/workspace/administration/deputies/{setup['item'].pk}/").content.decode()
    assert "control.reported" in detail


def test_stopping_acting(acting, setup):
    response = acting.post("/accounts/acting/stop/")
    assert response.status_code == 302 and SESSION_KEY not in acting.session
    assert Event.objects.filter(kind="org.acting_stopped", actor=setup["deputy"]).count() == 1
    page = acting.get("/workspace/orders/?list=all").content.decode()
    assert FINANCE_ORDER in page and HEALTH_ORDER not in page


@pytest.mark.parametrize("how", ["over", "ended"])
def test_the_switch_drops_when_the_deputyship_is_over_or_ended(acting, setup, how):
    item = setup["item"]
    if how == "over":
        Deputyship.objects.filter(pk=item.pk).update(starts_on=TODAY - timedelta(days=5),
                                                     ends_on=TODAY - timedelta(days=1))
    else:
        services.deputyship_end(actor=setup["admin"], deputyship=item)
    page = acting.get("/workspace/orders/?list=all").content.decode()
    assert FINANCE_ORDER in page and HEALTH_ORDER not in page
    assert "you act for yourself again" in page and "You are acting for:" not in page
    assert SESSION_KEY not in acting.session


def test_only_a_deputyship_in_force_of_his_own_switches(client, setup):
    coming = services.deputyship_appoint(actor=setup["admin"], principal=setup["gov"].governor,
                                         deputy=setup["deputy"], starts_on=TODAY + timedelta(days=3),
                                         ends_on=TODAY + timedelta(days=4))
    other = StaffFactory()
    client.force_login(other)
    assert start(client, setup["item"]).status_code == 302 and SESSION_KEY not in client.session
    client.force_login(setup["deputy"])
    assert start(client, coming).status_code == 302 and SESSION_KEY not in client.session
    assert start(client, setup["item"]).status_code == 302 and SESSION_KEY in client.session
    assert not Event.objects.filter(kind="org.acting_started", subject_id=str(coming.pk)).exists()
    # a switch forged in the session for a deputyship he does not hold is dropped
    session = client.session
    session[SESSION_KEY] = {"deputyship": coming.pk, "deputy": setup["deputy"].pk}
    session.save()
    assert FINANCE_ORDER in client.get("/workspace/orders/?list=all").content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("path", ["/accounts/profile/", "/accounts/password/change/", "/accounts/tokens/",
                                  "/accounts/two-factor/", "/admin/", "/admin/org/user/"])
def test_the_account_and_the_admin_are_refused_while_acting(acting, path):
    response = acting.get(path)
    assert response.status_code == 403
    assert "Stop acting" in response.content.decode() and "krai-acting-banner" in response.content.decode()


def test_the_accounts_api_is_refused_and_a_token_request_is_not_switched(acting, setup):
    refused = acting.post("/api/v1/accounts/tokens/", {"name": "x", "scopes": ["read"]},
                          content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "acting"
    assert acting.get("/api/v1/me/").status_code == 403
    # the same browser with the deputy's own token: the token's user, not the principal
    _token, key = make_token(setup["deputy"], scopes=("read",))
    me = acting.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["email"] == setup["deputy"].email
    assert acting.get("/accounts/acting/").status_code == 200  # the switch's own page stays open


def test_logging_out_runs_as_the_deputy_and_logging_in_cleans_the_switch(acting, setup, client):
    acting.force_login(setup["deputy"])  # a log-in again
    assert SESSION_KEY not in acting.session
    assert start(acting, setup["item"]).status_code == 302 and SESSION_KEY in acting.session
    assert acting.post("/accounts/logout/").status_code == 302
    logout = AuditEntry.objects.get(kind="auth.logout")
    assert logout.actor == setup["deputy"]
    assert SESSION_KEY not in acting.session


def test_the_second_factor_rule(client, settings, setup):
    settings.KRAI_TWO_FACTOR_ROLES = ["head"]  # the principal's role requires one; the deputy's does not
    executor = setup["gov"].executor
    item = services.deputyship_appoint(actor=setup["admin"], principal=setup["gov"].unit_head, deputy=executor,
                                       starts_on=TODAY, ends_on=TODAY + timedelta(days=2))
    client.force_login(executor)
    refused = client.post("/accounts/acting/start/", {"deputyship": item.pk}, follow=True)
    assert "requires a second factor" in refused.content.decode() and SESSION_KEY not in client.session
    session = client.session
    session[PROVIDER_VERIFIED] = executor.pk  # his identity provider asserted a second factor
    session.save()
    assert start(client, item).status_code == 302 and SESSION_KEY in client.session
    # the principal answers is_verified() as the deputy's session: the workspace opens, no code asked
    assert client.get("/workspace/orders/?list=all").status_code == 200
    # without the second factor any more, the switch drops at the next request
    session = client.session
    session.pop(PROVIDER_VERIFIED)
    session.save()
    page = client.get("/workspace/").content.decode()
    assert "second factor" in page and SESSION_KEY not in client.session


def test_the_acting_page_lists_whom_he_may_act_for(client, setup):
    client.force_login(setup["deputy"])
    page = client.get("/accounts/acting/").content.decode()
    assert setup["principal"].full_name in page and "Act for" in page
    client.force_login(StaffFactory())
    assert "No deputyship of yours is in force today." in client.get("/accounts/acting/").content.decode()
