"""The reports' demo: the governor finds a weekly and a monthly template, each with its latest edition ready (the
monthly one on the portal), with a template's page to follow as the production crawl does; a second run changes
nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client

from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign
from krai.reports.demo import load_reports
from krai.reports.models import Edition, Template

pytestmark = pytest.mark.django_db


def test_the_demo_makes_two_templates_with_an_edition_each():
    governor = StaffFactory(email="governor@demo.krai")
    assign(governor, Role.GOVERNOR)
    StaffFactory(email="head.health@demo.krai")
    load_reports(scale=1, stdout=io.StringIO())
    load_reports(scale=1, stdout=io.StringIO())
    assert set(Template.objects.values_list("frequency", flat=True)) == {"weekly", "monthly"}
    assert Edition.objects.count() == 2
    assert set(Edition.objects.values_list("status", flat=True)) == {Edition.Status.DONE}
    assert [e.template.frequency for e in Edition.objects.all() if e.is_published] == ["monthly"]
    client = Client()
    client.force_login(governor)
    html = client.get("/workspace/reports/").content.decode()
    assert "Еженедельная сводка" in html
    page = re.search(r'href="(/workspace/reports/\d+/)"', html).group(1)
    assert client.get(page).status_code == 200
    assert "Ежемесячный доклад для жителей" in Client().get("/reports/").content.decode()
