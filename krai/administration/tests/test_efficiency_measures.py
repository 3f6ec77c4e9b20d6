"""The measures themselves: what each counts for a unit (with and without its sub-units), a person and the whole
scope, on nested units with reassigned, returned and late assignments, answers and ratings."""

from __future__ import annotations

from datetime import date

import pytest

from krai.administration.efficiency_periods import Period
from krai.administration.selectors import efficiency as selectors
from krai.administration.selectors.efficiency_scope import units_for
from krai.administration.tests.efficiency_factories import FEBRUARY, MARCH, scenario
from krai.core.workcalendar.selectors import working_days_between

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)


def _report(reader, unit=None, *, only=False, person=None):
    units = units_for(reader)
    return selectors.report(units, unit=units.by_id[unit.pk] if unit else None, only=only, period=Period(*MARCH),
                            compare=Period(*FEBRUARY), person=person, today=TODAY)


def test_a_unit_counts_its_subtree_by_every_measure():
    s = scenario()
    w = s.w
    m = _report(w.head, w.health).total.now
    assert (m.closed, m.on_time, m.late) == (4, 2, 2)
    # a2: 6 → 10 March over the weekend and the 9 March holiday is 1 working day; a5: 20 → 25 March is 3
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 10)) == 1
    assert (m.delay_days, m.average_delay) == (4, 2.0)
    assert m.overdue == 3  # a6, a7 (open on 31 March), a8 (Boris's then)
    assert m.returns == 2
    assert (m.answers, m.answers_on_time) == (2, 1)
    assert (m.ratings, m.average_rating) == (3, round(11 / 3, 2))
    assert m.on_time_share == 50.0 and m.answers_on_time_share == 50.0
    before = _report(w.head, w.health).total.before
    assert (before.closed, before.on_time, before.late, before.returns) == (1, 1, 0, 0)


def test_this_unit_only_leaves_the_sub_units_out():
    w = scenario().w
    alone = _report(w.head, w.unit, only=True).total.now
    assert (alone.closed, alone.late, alone.overdue, alone.returns, alone.answers) == (2, 1, 0, 1, 1)
    with_sub = _report(w.head, w.unit).total.now
    assert (with_sub.closed, with_sub.late, with_sub.overdue, with_sub.returns, with_sub.answers) == (3, 2, 3, 2, 2)


def test_the_units_lines_roll_up_their_subtrees():
    w = scenario().w
    rep = _report(w.head, w.health)
    assert [line.label for line in rep.units] == [w.unit.name]
    assert rep.units[0].now.closed == 3  # the unit and its subunit; a1 is the ministry's own
    home = _report(w.governor)
    by_name = {line.label: line.now for line in home.units}
    assert by_name[w.health.name].closed == 4 and by_name[w.finance.name].closed == 3  # a9 and the two edges


def test_people_reassigned_work_counts_for_the_last_executor_overdue_for_the_holder_then():
    w = scenario().w
    people = {line.id: line.now for line in _report(w.head, w.health).people}
    anna, boris, nobody = people[w.anna.pk], people[w.boris.pk], people[0]
    assert (anna.closed, anna.late, anna.returns, anna.answers, anna.ratings) == (2, 1, 1, 1, 2)
    assert (boris.closed, boris.late, boris.overdue, boris.returns) == (1, 1, 3, 1)  # a5 is his, a8 was his
    assert (nobody.closed, nobody.answers, nobody.ratings) == (1, 1, 1)  # answers recorded without a person
    assert anna.overdue == 0


def test_a_person_page_counts_his_work_unit_by_unit():
    w = scenario().w
    rep = _report(w.head, person=w.boris.pk)
    assert (rep.total.now.closed, rep.total.now.overdue) == (1, 3)
    assert [line.id for line in rep.units] == [w.subunit.pk]


def test_overdue_of_a_period_not_over_is_today_s():
    w = scenario().w
    units = units_for(w.head)
    rep = selectors.report(units, unit=units.by_id[w.health.pk], only=False, period=Period(date(2026, 12, 1),
                           date(2026, 12, 31)), compare=Period(*MARCH), today=TODAY)
    assert rep.overdue_day == TODAY
    assert rep.total.now.overdue == 2  # a6 (Boris) and a8 (Anna's now); a7 was executed
    people = {line.id: line.now.overdue for line in rep.people}
    assert people[w.anna.pk] == 1 and people[w.boris.pk] == 1


def test_too_few_and_sorting():
    w = scenario().w
    rep = _report(w.head, w.health)
    assert rep.total.now.too_few  # 4 < 5
    people = selectors.sort_lines(rep.people, "closed")
    assert [line.now.closed for line in people] == [2, 1, 1]
    assert selectors.sort_lines(rep.people, "closed", descending=False)[0].id in (w.boris.pk, 0)
