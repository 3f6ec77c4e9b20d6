"""Every number on the efficiency pages links to the list of exactly what it counts: the pages are walked as
their readers see them (a unit with and without its sub-units, a person, the home), every number followed, and
the list's rows counted — on nested units with reassigned, returned and late assignments, answers and ratings."""

from __future__ import annotations

import re
from html import unescape

import pytest

from krai.administration.tests.efficiency_factories import scenario

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-03-01&to=2026-03-31&compare_from=2026-02-01&compare_to=2026-02-28"
LINK = re.compile(r'<a href="([^"]+)" data-measure="([a-z_]+)" data-count="(\d+)"[^>]*>([^<]*)</a>')
TOTAL = re.compile(r'id="krai-items-total" data-total="(\d+)"')
COUNTED = {"closed", "late", "overdue", "returns", "answers"}  # the link's text is the count itself


def _walk(client, url: str) -> set[str]:
    page = client.get(url)
    assert page.status_code == 200, url
    links = LINK.findall(page.content.decode())
    assert links, url
    measures = set()
    for href, measure, count, text in links:
        if measure in COUNTED:
            assert text.strip() == count, (url, measure)
        listed = client.get(unescape(href) + "&page=1")
        assert listed.status_code == 200, href
        body = listed.content.decode()
        assert int(TOTAL.search(body).group(1)) == int(count), (url, unescape(href))
        rows = body.count('<th scope="row">')
        assert rows == min(int(count), 30) or (int(count) == 0 and "Nothing here." in body), unescape(href)
        measures.add(measure)
    return measures


def test_every_number_equals_its_list(client):
    s = scenario()
    w = s.w
    client.force_login(w.head)
    seen = set()
    for url in (f"/workspace/administration/efficiency/?{PERIOD}",
                f"/workspace/administration/efficiency/units/{w.health.pk}/?{PERIOD}",
                f"/workspace/administration/efficiency/units/{w.unit.pk}/?{PERIOD}&only=on",
                f"/workspace/administration/efficiency/units/{w.subunit.pk}/?{PERIOD}",
                f"/workspace/administration/efficiency/people/{w.boris.pk}/?{PERIOD}",
                f"/workspace/administration/efficiency/people/{w.anna.pk}/?{PERIOD}"):
        seen |= _walk(client, url)
    assert seen == {"closed", "on_time", "late", "delay", "overdue", "returns", "answers", "answers_on_time",
                    "ratings"}


def test_the_governor_s_home_and_a_current_period(client):
    w = scenario().w
    client.force_login(w.governor)
    _walk(client, f"/workspace/administration/efficiency/?{PERIOD}")
    # a period not over yet: overdue as of today, from today's columns
    _walk(client, f"/workspace/administration/efficiency/units/{w.health.pk}/?preset=this_month")


def test_lists_show_the_rows_counted(client):
    w = scenario().w
    client.force_login(w.head)
    late = client.get(f"/workspace/administration/efficiency/items/?measure=delay&unit={w.health.pk}&{PERIOD[:35]}")
    body = late.content.decode()
    assert late.status_code == 200 and 'data-total="2"' in body
    assert "<td>1</td>" in body and "<td>3</td>" in body  # each late one's delay in working days
    overdue = client.get(f"/workspace/administration/efficiency/items/?measure=overdue&unit={w.health.pk}"
                         f"&person={w.boris.pk}&{PERIOD[:35]}").content.decode()
    assert 'data-total="3"' in overdue and "As it stood on 31.03.2026" in overdue
    nobody = client.get(f"/workspace/administration/efficiency/items/?measure=answers&unit={w.health.pk}"
                        f"&person=0&{PERIOD[:35]}").content.decode()
    assert 'data-total="1"' in nobody and "No person named" in nobody
