"""Periods: both ends included (dates and moments alike), the previous period, the named ones."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from krai.administration.efficiency_periods import Period, preset
from krai.administration.forms_efficiency import PeriodForm
from krai.administration.selectors import efficiency_rows as rows_of
from krai.administration.selectors.efficiency_rows import Reach
from krai.administration.tests.efficiency_factories import MARCH, answered, assignment, returned, world


def test_previous_periods():
    assert Period(date(2026, 3, 1), date(2026, 3, 31)).previous() == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert Period(date(2026, 1, 1), date(2026, 3, 31)).previous() == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert Period(date(2026, 1, 1), date(2026, 12, 31)).previous() == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert Period(date(2026, 3, 10), date(2026, 3, 19)).previous() == Period(date(2026, 2, 28), date(2026, 3, 9))
    assert Period(date(2026, 2, 1), date(2026, 3, 31)).kind == "custom"


def test_named_periods():
    today = date(2026, 5, 20)
    assert preset("this_month", today) == Period(date(2026, 5, 1), date(2026, 5, 31))
    assert preset("last_month", date(2026, 1, 5)) == Period(date(2025, 12, 1), date(2025, 12, 31))
    assert preset("this_quarter", today) == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert preset("last_quarter", today) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert preset("last_year", today) == Period(date(2025, 1, 1), date(2025, 12, 31))


def test_the_form_defaults_and_refusals():
    form = PeriodForm({})
    assert form.is_valid() and form.cleaned_data["compare"] == form.cleaned_data["period"].previous()
    form = PeriodForm({"from": "2026-03-01", "to": "2026-03-31", "compare_from": "2025-03-01",
                       "compare_to": "2025-03-31"})
    assert form.is_valid() and form.cleaned_data["compare"] == Period(date(2025, 3, 1), date(2025, 3, 31))
    form = PeriodForm({"from": "2000-01-01", "to": "2026-03-31"})
    assert not form.is_valid() and "to" in form.errors
    assert not PeriodForm({"compare_from": "2026-03-01"}).is_valid()


@pytest.mark.django_db
def test_both_ends_are_included_and_nothing_around_them():
    w = world()
    march = Period(*MARCH)
    inside = [assignment(w.finance, w.fedor, issued=date(2026, 2, 1), deadline=date(2026, 3, 31), done=day)
              for day in (date(2026, 3, 1), date(2026, 3, 31))]
    for day in (date(2026, 2, 28), date(2026, 4, 1)):
        assignment(w.finance, w.fedor, issued=date(2026, 2, 1), deadline=date(2026, 4, 30), done=day)
    reach = Reach([w.finance.pk])
    assert set(rows_of.closed(reach, march).qs) == set(inside)
    # moments: the first instant of 1 March and the last of 31 March count, midnight of 1 April does not
    a = inside[0]
    first = returned(a, date(2026, 3, 1))
    first.__class__.objects.filter(pk=first.pk).update(at=timezone.make_aware(datetime(2026, 3, 1, 0, 0)))
    last = returned(a, date(2026, 3, 31))
    last.__class__.objects.filter(pk=last.pk).update(at=timezone.make_aware(datetime(2026, 3, 31, 23, 59, 59)))
    out = returned(a, date(2026, 4, 1))
    out.__class__.objects.filter(pk=out.pk).update(at=timezone.make_aware(datetime(2026, 4, 1, 0, 0)))
    assert set(rows_of.returns(reach, march).qs) == {first, last}
    answered(w.finance, w.fedor, day=date(2026, 3, 31), due=date(2026, 3, 31))
    answered(w.finance, w.fedor, day=date(2026, 4, 1), due=date(2026, 3, 31))
    assert rows_of.answers(reach, march).qs.count() == 1
    assert rows_of.answers_on_time(reach, march).qs.count() == 1
