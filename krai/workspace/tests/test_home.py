"""The workspace home shows each person what he acts on, each number linked to the list of exactly those rows;
the orders page opens on "under my control" for those who give orders; the header's menu fits and has the
language switch and the logout."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.orders.services import control_accept, control_report
from krai.orders.tests.factories import government, issued_order

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def gov(db):
    return government()


@pytest.fixture
def given(gov):
    """The governor's orders: one executed this month, one executed before it, one overdue, two in time."""
    done = issued_order(gov, issued_on=TODAY - timedelta(days=60), working_days=5)
    control_report(actor=gov.head, assignment=done.assignment, text="Исполнено", submitted_on=TODAY)
    control_accept(actor=gov.governor, assignment=done.assignment)
    before = issued_order(gov, issued_on=TODAY - timedelta(days=90), working_days=5)
    control_report(actor=gov.head, assignment=before.assignment, text="Исполнено",
                   submitted_on=TODAY.replace(day=1) - timedelta(days=1))
    control_accept(actor=gov.governor, assignment=before.assignment)
    issued_order(gov, issued_on=TODAY - timedelta(days=60), working_days=5)  # overdue
    issued_order(gov, working_days=20, lead=gov.finance)
    issued_order(gov, working_days=30, co_executors=[(gov.finance, None)])  # its part is not an order
    return gov


def _rows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_the_governor_sees_his_orders_figures_and_each_leads_to_that_many_rows(client, given):
    client.force_login(given.governor)
    home = client.get(reverse("workspace:home")).context["home"]
    figures = {f.key: f for f in home.given}
    assert {k: f.count for k, f in figures.items()} == {"on_control": 3, "overdue": 1, "done_month": 1}
    for figure in figures.values():
        assert _rows(client, figure.url) == figure.count, figure
    assert [a.deadline < TODAY for a in home.overdue] == [True]
    assert home.mine == []  # the governor executes nothing himself


def test_an_executor_sees_his_assignments_by_deadline(client, given):
    client.force_login(given.head)
    response = client.get(reverse("workspace:home"))
    home = response.context["home"]
    assert home.given == []
    deadlines = [a.deadline for a in home.next_due]
    assert len(deadlines) == 2 and deadlines == sorted(deadlines)  # the overdue one, then the co-executed one
    mine = {f.key: f for f in home.mine}
    assert (mine["mine"].count, mine["mine_overdue"].count) == (2, 1)  # executed and finance's are not his
    for figure in mine.values():
        assert _rows(client, figure.url) == figure.count
    assert "Your assignments by deadline" in response.content.decode()


def test_the_orders_page_opens_under_my_control_for_who_gives_orders(client, given):
    client.force_login(given.governor)
    assert client.get(reverse("orders:list")).context["which"] == "given"
    client.force_login(given.head)
    assert client.get(reverse("orders:list")).context["which"] == "mine"
    client.force_login(given.vice)  # gave nothing yet
    assert client.get(reverse("orders:list")).context["which"] == "mine"


def test_the_department_of_control_opens_on_everything_it_watches(client, given):
    client.force_login(given.controller)
    page = client.get(reverse("orders:list"))
    assert page.context["which"] == "all" and page.context["page"].paginator.count > 0


def test_the_header_has_a_more_menu_the_language_switch_and_the_logout(client, given):
    client.force_login(given.controller)
    html = client.get(reverse("workspace:home")).content.decode()
    header = html[html.index("<header"):html.index("</header>")]
    assert 'id="krai-nav-more"' in header and 'class="dropdown-item" href="/admin/"' not in header
    assert 'name="language" value="ru"' in header  # the page is in English (conftest): the switch offers Russian
    assert "krai-logout" in header and 'class="navbar navbar-expand-xl' in header
