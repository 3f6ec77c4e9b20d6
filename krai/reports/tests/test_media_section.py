"""The media digest in a periodic report: the period's mentions per topic equal the mentions the monitor holds for
that period (the articles of other periods left out), the stories told by most outlets listed, the edition's PDF
and XLSX made; a published report leaves out the topics about a person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from krai.monitoring.media.models import Mention, Topic
from krai.monitoring.media.services import topics
from krai.monitoring.media.tests import helpers as media
from krai.reports import periods, sections, tasks
from krai.reports.models import Edition, Template
from krai.reports.tests.helpers import latest, sheet_rows, template_of, workbook, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    found = world()
    first, last = periods.latest_period(Template.Frequency.MONTHLY)
    governor = found.gov.governor
    flood = topics.topic_create(actor=governor, name="Паводок", terms="паводок\nнаводнение")
    topics.topic_create(actor=governor, name="Губернатор", kind=Topic.Kind.PERSON, person=governor,
                        terms="губернатор")
    regional, federal = media.source("Кубань 24"), media.source("ФАН", "federal")
    inside = timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=3), dt.time(12)))
    media.articles(regional, *[f"Паводок на реке {i}. Губернатор приехал к станице {i}." for i in range(3)],
                   when=inside)
    media.articles(federal, "Наводнение в крае. Вода поднялась у станицы.", when=inside)
    media.articles(regional, "Паводок отступил. Вода ушла из станицы.",
                   when=timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(9))))
    return found, flood, first, last


def test_the_digest_counts_the_periods_mentions_as_the_monitor_holds_them(w):
    found, flood, first, last = w
    template = template_of(found, sections=("media",), publication=Template.Publication.WORKSPACE)
    tasks.reports_schedule()
    edition = latest(template)
    assert edition.status == Edition.Status.DONE, edition.error
    assert edition.pdf.name.endswith(".pdf") and edition.xlsx.name.endswith(".xlsx")
    topics_rows = {row[0]: row for row in sheet_rows(workbook(edition), 2) if row[0]}
    held = Mention.objects.filter(topic=flood, day__gte=first, day__lte=last).count()
    assert held == 4  # the three regional articles and the federal one; the one after the period is left out
    assert topics_rows["Паводок"][1] == held
    assert "Губернатор" in topics_rows


def test_a_published_report_leaves_out_the_topics_about_a_person(w):
    found, _flood, first, last = w
    governor = found.gov.governor
    kind = sections.kind_get("media")
    public = kind.build(sections.Context(owner=governor, period_start=first, period_end=last, public=True))
    inside = kind.build(sections.Context(owner=governor, period_start=first, period_end=last))
    assert "Губернатор" not in {row[0] for table in public.tables for row in table.rows}
    assert "Губернатор" in {row[0] for table in inside.tables for row in table.rows}
