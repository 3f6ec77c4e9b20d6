"""What the reports' tests share: a small government with orders due in the last complete month and a problem in a
municipality, templates made through the service, and an edition's files read back."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from krai.orders.tests.factories import Gov, government, issued_order
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign
from krai.problems.tests.factories import ProblemFactory, place
from krai.reports import periods, services
from krai.reports.models import Edition, Template

TITLE = "Исполнительская дисциплина и обращения"


@dataclass
class World:
    gov: Gov
    period: tuple[date, date]
    municipality: object
    reader: object  # a member of staff who receives the report


def world() -> World:
    gov = government()
    start, end = periods.latest_period(Template.Frequency.MONTHLY)
    # due within the last month: one overdue by now, one in another block
    issued_order(gov, issued_on=start, deadline=end - timedelta(days=2))
    issued_order(gov, lead=gov.finance, issued_on=start, deadline=end)
    issued_order(gov, issued_on=start, deadline=end + timedelta(days=40))  # due later: not in the period
    municipality, administration = place(code="krasnodar")
    ProblemFactory(municipality=municipality, organisation=administration)
    ProblemFactory(municipality=municipality, organisation=administration, due_date=timezone.localdate()
                   - timedelta(days=1))
    reader = StaffFactory(surname="Читатель")
    assign(reader, Role.EXECUTOR, organisation=gov.health)
    return World(gov=gov, period=(start, end), municipality=municipality, reader=reader)


def template_of(w: World, *, publication: str = Template.Publication.PORTAL, sections: tuple = ("orders", "problems"),
                frequency: str = Template.Frequency.MONTHLY, days_old: int = 70, **extra) -> Template:
    template = services.template_create(actor=w.gov.governor, title=TITLE, sections=list(sections),
                                        frequency=frequency, publication=publication, recipients=[w.reader],
                                        **extra)
    Template.objects.filter(pk=template.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    template.refresh_from_db()
    return template


def latest(template: Template) -> Edition:
    start, end = periods.latest_period(template.frequency)
    return Edition.objects.get(template=template, period_start=start, period_end=end)


def workbook(edition: Edition):
    from openpyxl import load_workbook

    with edition.xlsx.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def sheet_rows(book, number: int) -> list[list]:
    """The rows (the header left out) of the ``number``-th table's sheet (1: the first after the cover; the tables
    come in the order of the template's sections). Editions are made in the installation's language, so the
    sheets are found by their place, not their titles."""
    return [list(row) for row in book.worksheets[number].iter_rows(min_row=2, values_only=True)]
