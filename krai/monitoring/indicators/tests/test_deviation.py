"""The deviation on a given date, checked by hand arithmetic (see krai/monitoring/indicators/deviation.py):

    plan to date = annual × m / 12            (cumulative, annual plan; m = the last reported month)
                 = Σ monthly plans 1…m          (cumulative, monthly plan)
                 = the month's plan            (level, monthly plan)
                 = the annual plan             (level, annual plan: not pro-rated)
    deviation %  = s × (actual − plan) / plan × 100,   s = +1 if more is better, −1 if less is better
    colour       = ok > −warn ≥ warn > −critical ≥ critical
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from krai.monitoring.indicators import selectors, services
from krai.monitoring.indicators.tests.helpers import indicator, submitted
from krai.orders.tests.factories import government

D = Decimal


@pytest.fixture
def gov(db):
    return government()


def _row(rows, code):
    return next(r for r in rows if r.indicator.code == code)


def test_deviation_on_a_given_date_by_hand(gov):
    health = gov.health
    # cumulative, annual plan 1 200; March's year-to-date actual 270: plan 1 200 × 3/12 = 300,
    # deviation (270 − 300) / 300 × 100 = −10.0 → between warn 5 and critical 15: "warn"
    cum = indicator(health, "cum-annual", plans=[(None, 2025, 0, 1200)])
    # cumulative, monthly plans 100 + 100 + 120 = 320 by March; actual 330: (330 − 320) / 320 × 100 = +3.125 → +3.1
    cum_m = indicator(health, "cum-monthly", basis="monthly",
                      plans=[(None, 2025, 1, 100), (None, 2025, 2, 100), (None, 2025, 3, 120), (None, 2025, 4, 500)])
    # level, annual plan 50 (not pro-rated); actual 40: (40 − 50) / 50 × 100 = −20.0 → critical
    level = indicator(health, "level-annual", kind="level", plans=[(None, 2025, 0, 50)])
    # level, monthly plan 8.0 in March, less is better; actual 8.2: −(8.2 − 8.0) / 8.0 × 100 = −2.5 → ok
    down = indicator(health, "level-down", kind="level", basis="monthly", direction="down",
                     plans=[(None, 2025, 0, 9), (None, 2025, 3, D("8.0"))])
    submitted(health, 2025, 3, [(cum, 270), (cum_m, 330), (level, 40), (down, D("8.2"))], on=date(2025, 4, 8))

    rows = selectors.deviation_table(user=gov.governor, as_of=date(2025, 4, 30))
    assert (_row(rows, "cum-annual").plan, _row(rows, "cum-annual").deviation) == (D(300), D("-10.0"))
    assert _row(rows, "cum-annual").colour == "warn"
    assert (_row(rows, "cum-monthly").plan, _row(rows, "cum-monthly").deviation) == (D(320), D("3.1"))
    assert _row(rows, "cum-monthly").colour == "ok"
    assert (_row(rows, "level-annual").plan, _row(rows, "level-annual").deviation) == (D(50), D("-20.0"))
    assert _row(rows, "level-annual").colour == "critical"
    assert (_row(rows, "level-down").plan, _row(rows, "level-down").deviation) == (D("8.0"), D("-2.5"))
    assert _row(rows, "level-down").colour == "ok"


def test_as_of_a_past_date_takes_what_was_submitted_then_and_the_plan_valid_then(gov):
    health = gov.health
    cum = indicator(health, "cum", plans=[(None, 2025, 0, 1200)])
    march = submitted(health, 2025, 3, [(cum, 270)], on=date(2025, 4, 8))
    submitted(health, 2025, 4, [(cum, 420)], on=date(2025, 5, 12))
    # the plan changes from 1 May: 1 500 a year
    services.plan_set(actor=None, indicator=cum, act="Приказ № 2", valid_from=date(2025, 5, 1),
                      values=[(None, 2025, 0, 1500)])

    before = _row(selectors.deviation_table(user=gov.governor, as_of=date(2025, 4, 30)), "cum")
    # March, version 1: 1 200 × 3/12 = 300; (270 − 300) / 300 = −10.0 %; the number drills down to March's report
    assert (before.month, before.plan, before.deviation, before.report_id) == (3, D(300), D("-10.0"), march.pk)
    after = _row(selectors.deviation_table(user=gov.governor, as_of=date(2025, 5, 20)), "cum")
    # April, version 2: 1 500 × 4/12 = 500; (420 − 500) / 500 = −16.0 % → critical
    assert (after.month, after.plan, after.deviation, after.colour) == (4, D(500), D("-16.0"), "critical")
    now = _row(selectors.deviation_table(user=gov.governor), "cum")  # the latest-actual table agrees
    assert (now.month, now.actual, now.deviation) == (4, D(420), D("-16.0"))


def test_the_table_is_scoped_to_the_user(gov):
    indicator(gov.health, "h1", plans=[(None, 2025, 0, 10)])
    indicator(gov.finance, "f1", plans=[(None, 2025, 0, 10)])
    assert [r.indicator.code for r in selectors.deviation_table(user=gov.head)] == ["h1"]
    assert [r.indicator.code for r in selectors.deviation_table(user=gov.governor)] == ["f1", "h1"]
    assert selectors.deviation_table(user=gov.outsider) == []
