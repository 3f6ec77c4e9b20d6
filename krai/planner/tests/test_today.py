"""My day, the officials' app start page: today's timeline (his entries, a repeating one as today's occurrence, beside
the areas' items, each linked to its source), his overdue assignments and those due in the next days with numbers
equal to the lists they link to and a link to report, the quick task (kept offline), the voice button and the ways
on; a deputy acting for someone sees that person's day; the workspace app opens on it; the queries do not grow with
the items; a resident gets 403."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from krai.core.workcalendar.selectors import previous_working_day
from krai.orders.services import control_report, order_create, order_issue
from krai.orders.tests.conftest import gov  # noqa: F401 (the fixture)
from krai.orders.tests.factories import TODAY
from krai.org.models import Role
from krai.org.services import deputies
from krai.org.tests.factories import StaffFactory, UserFactory, assign
from krai.planner.models import Entry
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
URL = "/workspace/planner/today/"


def at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def due_soon() -> date:
    """A working day from today to three days on (a deadline on a day off moves back to a working day)."""
    found = previous_working_day(TODAY + timedelta(days=3))
    if found < TODAY:
        pytest.skip("no working day in the next three days (holidays)")
    return found


def order(gov, title: str, deadline: date, issued_on: date = TODAY):  # noqa: F811
    """An order to the ministry of health (its head executes it) with its control assignment."""
    made = order_create(actor=gov.governor, title=title, text="Текст", lead_organisation=gov.health,
                        controller_organisation=gov.control, deadline=deadline, priority="ordinary")
    return order_issue(actor=gov.governor, order=made, issued_on=issued_on).assignment


@pytest.fixture
def day(gov):  # noqa: F811
    """The head of health's day: a daily meeting begun last week, today's task, tomorrow's trip, another's meeting;
    his assignments overdue, due tomorrow (one already reported) and due next month."""
    head = gov.head
    daily = EntryFactory(owner=head, title="Планёрка", starts_at=at(TODAY - timedelta(days=7), 9),
                         ends_at=at(TODAY - timedelta(days=7), 10), rrule="FREQ=DAILY")
    task = EntryFactory(owner=head, kind=Entry.Kind.TASK, title="Подписать справку", starts_at=at(TODAY, 0),
                        ends_at=None, all_day=True)
    EntryFactory(owner=head, title="Командировка", starts_at=at(TODAY + timedelta(days=1), 9))
    EntryFactory(title="Чужая встреча", starts_at=at(TODAY, 11))
    late = order(gov, "Отремонтировать крышу", TODAY - timedelta(days=2), issued_on=TODAY - timedelta(days=30))
    soon = order(gov, "Подготовить справку", due_soon())
    reported = order(gov, "Закупить лекарства", due_soon())
    control_report(actor=head, assignment=reported, text="Закуплено")
    later = order(gov, "Построить больницу", TODAY + timedelta(days=40))
    return {"head": head, "daily": daily, "task": task, "late": late, "soon": soon, "reported": reported,
            "later": later}


def _section(html: str, key: str) -> str:
    start = html.index(f'id="krai-today-{key}"')
    return html[start:html.index("</section>", start)]


def test_the_day_of_an_official(client, day):
    client.force_login(day["head"])
    page = client.get(reverse("planner:today"))
    assert page.status_code == 200
    html = page.content.decode()
    timeline = _section(html, "timeline")
    keys = re.findall(r'data-key="([^"]+)"', timeline)
    daily, task = day["daily"].pk, day["task"].pk
    assert f"planner:entry:{task}:{TODAY.isoformat()}" in keys
    assert any(key.startswith(f"planner:entry:{daily}:{TODAY.isoformat()}T09:00") for key in keys)
    assert "Командировка" not in timeline and "Чужая встреча" not in html
    assert f'href="/workspace/planner/entries/{task}/"' in timeline
    assert f'id="krai-today-count">{len(keys)}<' in html
    overdue, due = _section(html, "overdue"), _section(html, "due")
    assert "Отремонтировать крышу" in overdue and "Подготовить справку" not in overdue
    assert "Подготовить справку" in due and "Закупить лекарства" in due and "Построить больницу" not in due
    assert "Построить больницу" not in html
    # a link to report on each one that can still be reported; the reported one shows its state instead
    late, soon, reported = day["late"].pk, day["soon"].pk, day["reported"].pk
    assert f'href="/workspace/orders/control/{late}/#orders-action-report"' in overdue
    assert f'href="/workspace/orders/control/{soon}/#orders-action-report"' in due
    assert f"/workspace/orders/control/{reported}/#orders-action-report" not in due
    # the quick task stays an offline form; the voice button and the ways on
    quick = html[html.index('id="krai-planner-quick"') - 200:html.index('id="krai-planner-quick"') + 400]
    assert 'action="/workspace/planner/tasks/quick/"' in quick and "data-krai-offline" in quick
    assert 'name="next" value="/workspace/planner/today/"' in html
    for link in ('href="/workspace/planner/voice/"', 'href="/workspace/orders/?list=mine"',
                 'href="/workspace/planner/?view=day"', 'href="/workspace/planner/given/"'):
        assert link in html


def test_the_numbers_equal_the_lists_they_link_to(client, day):
    client.force_login(day["head"])
    html = client.get(URL).content.decode()
    for key, expected in (("overdue", 1), ("due", 2)):
        link = re.search(rf'href="([^"]+)" id="krai-today-{key}-count"[^>]*>(\d+)<', html)
        assert link is not None, key
        url, number = link.group(1).replace("&amp;", "&"), int(link.group(2))
        assert number == expected
        listed = client.get(url).content.decode()
        assert f'data-total="{number}"' in listed, (key, url)


def test_a_quick_task_from_my_day_comes_back_to_it(client, day):
    client.force_login(day["head"])
    response = client.post(reverse("planner:quick_task"), {"title": "Позвонить в больницу", "client_key": "k-1",
                                                           "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    assert "Позвонить в больницу" in client.get(URL).content.decode()


def test_a_deputy_acting_sees_the_principals_day(client, day, gov):  # noqa: F811
    admin = StaffFactory()
    assign(admin, Role.ADMINISTRATOR)
    item = deputies.deputyship_appoint(actor=admin, principal=gov.head, deputy=gov.finance_head, starts_on=TODAY,
                                       ends_on=TODAY + timedelta(days=3), reason="Отпуск")
    EntryFactory(owner=gov.finance_head, title="Своя встреча", starts_at=at(TODAY, 15))
    client.force_login(gov.finance_head)
    assert "Своя встреча" in client.get(URL).content.decode()
    assert client.post("/accounts/acting/start/", {"deputyship": item.pk}).status_code == 302
    html = client.get(URL).content.decode()
    assert "Подписать справку" in html and "Отремонтировать крышу" in html and "Своя встреча" not in html


def test_only_staff_have_a_day(client):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_the_workspace_app_opens_on_my_day_and_the_menu_has_it(client, day):
    manifest = client.get(reverse("pwa-manifest", args=["workspace"])).json()
    assert manifest["start_url"] == URL and URL.startswith(manifest["scope"])
    client.force_login(day["head"])
    assert f'href="{URL}"' in client.get(reverse("workspace:home")).content.decode()


def _fill(gov, count: int) -> None:  # noqa: F811
    head = gov.head
    for n in range(count):
        EntryFactory(owner=head, starts_at=at(TODAY, 8 + n))
        EntryFactory(owner=head, starts_at=at(TODAY - timedelta(days=3), 12), rrule="FREQ=DAILY")
        EntryFactory(owner=head, kind=Entry.Kind.TASK, all_day=True, ends_at=None, starts_at=at(TODAY, 0))
        order(gov, f"Просрочено {n}", TODAY - timedelta(days=1 + n), issued_on=TODAY - timedelta(days=20))
        order(gov, f"Скоро {n}", due_soon())


def _queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(URL)
    assert page.status_code == 200
    return len(captured.captured_queries), page.content.decode().count("list-group-item")


def test_the_queries_do_not_grow_with_the_items(client, gov):  # noqa: F811
    client.force_login(gov.head)
    _fill(gov, 1)
    _queries(client)  # warm what a first request fills (the session, the work calendar)
    few, shown_few = _queries(client)
    _fill(gov, 4)
    many, shown_many = _queries(client)
    assert shown_many > shown_few + 15, "the day must hold the added items for the comparison to mean anything"
    assert many == few
