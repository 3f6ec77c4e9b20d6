"""Editions made by the jobs: a scheduled report generated and published (its XLSX's figures equal the orders
dashboard's and the problems' statistics), one edition per template and period whatever runs twice, a failing
section retried with a back-off then reported (the edition failed with its error, the owner told), and an edition
left by a dead worker taken back by the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.problems import selectors as problem_selectors
from krai.reports import jobs, sections, services, tasks
from krai.reports.models import Edition
from krai.reports.tests.helpers import TITLE, latest, sheet_rows, template_of, workbook, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_the_scheduled_report_is_generated_and_published(w):
    template = template_of(w)
    tasks.reports_schedule()
    edition = latest(template)
    assert edition.status == Edition.Status.DONE, edition.error
    assert edition.public and edition.is_published and edition.attempts == 1
    assert edition.generated_at is not None and edition.pdf.name.endswith(".pdf")
    # every moment since the template was made has its edition: no gap
    assert template.editions.count() >= 2
    assert set(template.editions.values_list("status", flat=True)) == {Edition.Status.DONE}
    assert Event.objects.filter(kind="reports.edition_made", subject_id=str(edition.pk)).exists()
    # the recipients and the owner are told, with a link to the template's page
    told = Notification.objects.filter(kind="reports.edition", user=w.reader)
    assert told.exists() and told.first().url == f"/workspace/reports/{template.pk}/"
    # on the portal: listed, and its files downloaded by an anonymous visitor
    portal = Client().get("/reports/")
    assert portal.status_code == 200 and TITLE in portal.content.decode()
    pdf = Client().get(f"/reports/{edition.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert Client().get(f"/reports/{edition.pk}/xlsx/").status_code == 200


def test_the_workbook_equals_the_dashboard_and_the_statistics(w):
    template = template_of(w)
    tasks.reports_schedule()
    edition = latest(template)
    book = workbook(edition)
    start, end = w.period
    governor = Client()
    governor.force_login(w.gov.governor)
    page = governor.get("/workspace/orders/dashboard/", {"period_from": start.isoformat(),
                                                         "period_to": end.isoformat()})
    assert page.status_code == 200
    load = page.context["load"]
    shown = [[str(r.label), r.total, r.done, r.open, r.overdue, r.late] for r in [*load.rows, load.totals]]
    rows = [row[:6] for row in sheet_rows(book, 1)]
    assert rows == shown
    assert load.totals.total == 2 and load.totals.overdue == 2  # the period's two (both past their deadlines)
    stats = problem_selectors.statistics(user=w.gov.governor, by="municipality")
    problems = sheet_rows(book, 2)
    assert problems[:-1] == [[s.name, s.received, s.answered, s.on_time, s.fixed, s.overdue, s.rating]
                             for s in stats]
    assert problems[0][1] == 2 and problems[0][5] == 1
    # in a published report, no single case: the worst overdue (executors' names) are left out
    assert len(book.worksheets) == 3  # the cover, the dashboard's table, the problems' table


def test_a_workspace_report_lists_the_worst_overdue(w):
    template = template_of(w, publication="workspace", sections=("orders",))
    tasks.reports_schedule()
    edition = latest(template)
    assert not edition.public and not edition.is_published
    worst = sheet_rows(workbook(edition), 2)
    assert len(worst) == 2 and all("Обеспечить ремонт поликлиник" in row[0] for row in worst)
    assert {row[1] for row in worst} == {"Министерство здравоохранения", "Министерство финансов"}


def test_one_edition_per_template_and_period(w):
    template = template_of(w)
    first = jobs.schedule_due()
    assert first and jobs.schedule_due() == []
    edition = Edition.objects.get(pk=first[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(template=template, period_start=edition.period_start, period_end=edition.period_end)


def test_a_failing_section_is_retried_then_reported(w, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.KRAI_REPORTS_ATTEMPTS = 3
    settings.KRAI_REPORTS_RETRY_SECONDS = 60
    template = template_of(w, publication="workspace")
    kind = sections.kind_get("orders")

    def broken(ctx):
        raise RuntimeError("the dashboard is unreachable")

    monkeypatch.setitem(sections._registry, "orders", sections.SectionKind(kind.key, kind.label, kind.description,
                                                                           broken, kind.filters))
    with django_capture_on_commit_callbacks(execute=True):
        edition = services.edition_generate_now(actor=w.gov.governor, template=template)
    edition.refresh_from_db()
    assert (edition.status, edition.attempts) == (Edition.Status.PENDING, 1)
    assert "the dashboard is unreachable" in edition.error
    now = timezone.now()
    assert jobs.sweep(now=now) == []  # the back-off: not yet
    assert jobs.sweep(now=now + timedelta(seconds=61)) == [edition.pk]
    jobs.generate(edition.pk, now=now + timedelta(seconds=61))
    edition.refresh_from_db()
    assert (edition.status, edition.attempts) == (Edition.Status.PENDING, 2)
    assert edition.next_attempt_at >= now + timedelta(seconds=61 + 120)  # doubled
    assert jobs.sweep(now=now + timedelta(seconds=61 + 119)) == []
    later = now + timedelta(seconds=61 + 121)
    for edition_id in jobs.sweep(now=later):
        jobs.generate(edition_id, now=later)
    edition.refresh_from_db()
    assert (edition.status, edition.attempts) == (Edition.Status.FAILED, 3)
    assert "RuntimeError: the dashboard is unreachable" in edition.error
    assert jobs.sweep(now=later + timedelta(days=1)) == []  # bounded: a failed one is not taken again
    told = Notification.objects.get(kind="reports.failed")
    assert told.user == w.gov.governor and told.url == f"/workspace/reports/{template.pk}/"
    assert Event.objects.filter(kind="reports.edition_failed").count() == 1
    page = Client()
    page.force_login(w.gov.governor)
    shown = page.get(f"/workspace/reports/{template.pk}/").content.decode()
    assert "the dashboard is unreachable" in shown and "failed" in shown


def test_a_dead_workers_edition_is_picked_up_by_the_sweep(w, settings):
    settings.KRAI_REPORTS_STALE_MINUTES = 30
    template = template_of(w, publication="workspace")
    edition = Edition.objects.create(template=template, period_start=w.period[0], period_end=w.period[1],
                                     status=Edition.Status.RUNNING, attempts=1,
                                     started_at=timezone.now() - timedelta(hours=2))
    fresh = Edition.objects.create(template=template, period_start=w.period[0] - timedelta(days=31),
                                   period_end=w.period[0] - timedelta(days=1), status=Edition.Status.RUNNING,
                                   attempts=1, started_at=timezone.now() - timedelta(minutes=5))
    tasks.reports_sweep()
    edition.refresh_from_db()
    fresh.refresh_from_db()
    assert edition.status == Edition.Status.DONE and edition.attempts == 2, edition.error
    assert fresh.status == Edition.Status.RUNNING  # still within its time: its worker may be alive


def test_a_pending_edition_whose_job_was_lost_is_generated_by_the_sweep(w):
    template = template_of(w, publication="workspace")
    edition = Edition.objects.create(template=template, period_start=w.period[0], period_end=w.period[1])
    tasks.reports_sweep()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DONE


def test_a_second_worker_does_not_generate_a_claimed_edition(w):
    template = template_of(w, publication="workspace")
    edition = Edition.objects.create(template=template, period_start=w.period[0], period_end=w.period[1],
                                     status=Edition.Status.RUNNING, started_at=timezone.now(), attempts=1)
    assert jobs.generate(edition.pk) is None
    edition.refresh_from_db()
    assert edition.status == Edition.Status.RUNNING and edition.attempts == 1
