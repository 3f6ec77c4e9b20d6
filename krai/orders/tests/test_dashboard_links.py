"""Every number on the dashboard is the row count of the list its link opens: the page is walked as a user
would — region → block → body → executor, each row's number followed to its list and the list's rows counted —
with no filter, a deadline period, an urgency, and "as of" a past date after a reassignment."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from krai.orders import services
from krai.orders.tests.factories import TODAY, issued_order

pytestmark = pytest.mark.django_db

DASHBOARD = "/workspace/orders/dashboard/"
LIST = "/workspace/orders/"


class Page(HTMLParser):
    """The links of a page with their text, the list's rows and its total, and numbers shown outside a link."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.rows = 0
        self.total: int | None = None
        self.next: str | None = None
        self.bare_numbers: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._cell: list[str] | None = None
        self._cell_has_link = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self._href, self._text = a.get("href"), []
            if self._cell is not None:
                self._cell_has_link = True
            if a.get("rel") == "next":
                self.next = a.get("href")
        if tag == "tr" and "data-assignment" in a:
            self.rows += 1
        if "data-total" in a:
            self.total = int(a["data-total"])
        if tag == "td" and "data-count" in a:
            self._cell, self._cell_has_link = [], False

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        if tag == "td" and self._cell is not None:
            if not self._cell_has_link:
                self.bare_numbers.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(response) -> Page:
    assert response.status_code == 200, response.content.decode()[:500]
    page = Page()
    page.feed(response.content.decode())
    return page


def list_rows(client: Client, url: str) -> int:
    """The rows of a list, page after page; the page's stated total must agree with them."""
    page = parse(client.get(url))
    total, rows, seen = page.total, page.rows, 1
    while page.next:
        page = parse(client.get(urlsplit(url).path + page.next if page.next.startswith("?") else page.next))
        rows, seen = rows + page.rows, seen + 1
        assert seen < 100
    assert total == rows, url
    return rows


def history(gov):
    """Orders over two blocks and outside them, delegated to a person and to a unit, executed in time and
    late, cancelled; yesterday's state differs from today's by a report, an acceptance and a reassignment."""
    long_ago = TODAY - timedelta(days=60)
    made = []
    for i, (lead, priority, days) in enumerate([
            (gov.health, "urgent", 5), (gov.health, "ordinary", 5), (gov.health, "ordinary", 90),
            (gov.health, "urgent", 20), (gov.finance, "ordinary", 5), (gov.finance, "urgent", 90),
            (gov.office, "ordinary", 5), (gov.health, "ordinary", 10)]):
        made.append(issued_order(gov, lead=lead, priority=priority, issued_on=long_ago + timedelta(days=i),
                                 working_days=days).assignment)
    a, b, c, d, e, f, _g, h = made
    # delegated inside the body: to a person, and to a unit with nobody named ("the organisation itself")
    services.control_delegate(actor=gov.head, assignment=a, executor_organisation=gov.subunit,
                              executor_user=gov.executor, deadline=a.deadline, issued_on=a.issued_on)
    services.control_delegate(actor=gov.head, assignment=b, executor_organisation=gov.unit,
                              deadline=b.deadline, issued_on=b.issued_on)
    services.control_delegate(actor=gov.head, assignment=c, executor_organisation=gov.subunit,
                              executor_user=gov.executor, deadline=c.deadline - timedelta(days=40),
                              issued_on=c.issued_on)
    # executed late, long ago
    services.control_report(actor=gov.finance_head, assignment=e, text="Отчёт",
                            submitted_on=e.deadline + timedelta(days=3))
    services.control_accept(actor=gov.governor, assignment=e, on=e.deadline + timedelta(days=4))
    # cancelled
    services.control_cancel(actor=gov.governor, assignment=h, reason="Отмена")
    # today: d is reported and accepted, f goes from finance to health's unit with a person
    services.control_report(actor=gov.head, assignment=d, text="Отчёт")
    services.control_accept(actor=gov.governor, assignment=d)
    services.control_reassign(actor=gov.governor, assignment=f, executor_organisation=gov.subunit,
                              executor_user=gov.executor, reason="Передано")
    return made


def walk(client: Client, start: str) -> dict:
    """Open the dashboard at ``start`` and every level below it; check each number against its list."""
    levels: dict[str, int] = {}
    labels: set[str] = set()
    queue, done = [start], set()
    while queue:
        url = queue.pop(0)
        if url in done:
            continue
        done.add(url)
        response = client.get(url)
        page = parse(response)
        level = parse_qs(urlsplit(url).query).get("level", ["region"])[0]
        levels[level] = levels.get(level, 0) + 1
        labels.update(r.label for r in response.context["load"].rows)
        assert not page.bare_numbers, (url, page.bare_numbers)  # every count in the table is a link
        for href, text in page.links:
            path = urlsplit(href).path or DASHBOARD
            if path == LIST and re.fullmatch(r"\d+", text):
                assert list_rows(client, href) == int(text), (url, href, text)
            elif path == DASHBOARD and "level=" in href and href.startswith("?"):
                target = DASHBOARD + href
                if "format=" not in href and target not in done:
                    deeper = ("region", "block", "body", "executor")
                    to = parse_qs(urlsplit(target).query).get("level", ["region"])[0]
                    if deeper.index(to) > deeper.index(level):
                        queue.append(target)
    return {"levels": levels, "labels": labels}


@pytest.mark.parametrize("query", [
    "",
    f"period_from={(TODAY - timedelta(days=60)).isoformat()}&period_to={(TODAY - timedelta(days=30)).isoformat()}",
    "priority=urgent",
    f"as_of={(TODAY - timedelta(days=1)).isoformat()}",
    f"as_of={(TODAY - timedelta(days=1)).isoformat()}&kind=order"
    f"&period_from={(TODAY - timedelta(days=90)).isoformat()}",
])
def test_every_number_is_the_row_count_of_its_list(gov, query):
    history(gov)
    client = Client()
    client.force_login(gov.governor)
    seen = walk(client, f"{DASHBOARD}?{query}")
    assert set(seen["levels"]) == {"region", "block", "body", "executor"}, seen
    if not query:
        assert "Вне блоков" in seen["labels"] or "Outside the blocks" in seen["labels"]
        assert any(label.startswith(("The organisation itself", "Сама организация")) for label in seen["labels"])


def test_as_of_groups_by_the_executor_of_that_day(gov):
    made = history(gov)
    f = made[5]
    client = Client()
    client.force_login(gov.governor)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    then = client.get(f"{DASHBOARD}?as_of={yesterday}").context["load"]
    now = client.get(DASHBOARD).context["load"]
    by_block = {r.key: r.total for r in then.rows}
    assert by_block[gov.economy.pk] == 2  # f was still the finance ministry's yesterday
    assert {r.key: r.total for r in now.rows}[gov.economy.pk] == 1
    listed = client.get(f"{LIST}?list=all&block={gov.economy.pk}&top=1&as_of={yesterday}").context["page"]
    row = next(a for a in listed.object_list if a.pk == f.pk)
    assert row.executor_organisation == gov.finance and row.executor_user is None  # as it was that day
    xlsx = client.get(f"{LIST}?list=all&block={gov.economy.pk}&top=1&as_of={yesterday}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    person = client.get(f"{DASHBOARD}?level=executor&executor={gov.executor.pk}&as_of={yesterday}").context["load"]
    assert person.totals.total == 2  # a's and c's parts, not f yet


def test_the_trend_follows_the_level(gov):
    history(gov)
    client = Client()
    client.force_login(gov.governor)
    region = client.get(DASHBOARD).context["trend"]
    person = client.get(f"{DASHBOARD}?level=executor&executor={gov.executor.pk}").context["trend"]
    assert sum(region["given"]) == 7  # the top-level orders (the cancelled one aside)
    assert sum(person["given"]) == 3  # his two delegated parts and f, given to him today


def test_breadcrumbs_keep_every_level(gov):
    history(gov)
    client = Client()
    client.force_login(gov.governor)
    page = client.get(f"{DASHBOARD}?level=executor&executor={gov.executor.pk}&body={gov.health.pk}")
    labels = [label for label, _url in page.context["crumbs"]]
    assert labels[1:] == [str(gov.social), str(gov.health), page.context["load"].title]


@pytest.mark.parametrize("role", ["vice", "head", "controller"])
def test_every_number_agrees_for_narrower_scopes(gov, role):
    """A vice-governor's region view comes from the pre-counted cells plus what he executes outside his block; a
    head's from his subtree: their numbers too are their lists' row counts."""
    history(gov)
    issued_order(gov, lead=gov.finance, lead_user=gov.vice, issued_on=TODAY - timedelta(days=20), working_days=5)
    client = Client()
    client.force_login(getattr(gov, role))
    seen = walk(client, DASHBOARD)
    assert {"region", "block", "body"} <= set(seen["levels"]), seen
