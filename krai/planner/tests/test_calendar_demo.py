"""The planner's demo: the department's head and his executor find this week planned (the weekly meeting, today's
tasks) on the calendar's page, with an entry's page to follow as the production crawl does; a second run changes
nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from krai.org.tests.factories import StaffFactory
from krai.planner.demo import load_planner
from krai.planner.models import Entry

pytestmark = pytest.mark.django_db


def test_the_demo_plans_this_week_once(client):
    head = StaffFactory(email="head.health@demo.krai")
    StaffFactory(email="exec1.unit1.health@demo.krai")
    load_planner(scale=1, stdout=io.StringIO())
    count = Entry.objects.count()
    assert count == 12
    load_planner(scale=1, stdout=io.StringIO())
    assert Entry.objects.count() == count
    client.force_login(head)
    html = client.get(reverse("planner:home")).content.decode()
    assert "Планёрка департамента" in html and "Позвонить главврачу" in html
    entry_page = re.search(r'href="(/workspace/planner/entries/\d+/)"', html).group(1)
    assert client.get(entry_page).status_code == 200
    assert client.get(reverse("planner:home"), {"view": "month"}).status_code == 200
