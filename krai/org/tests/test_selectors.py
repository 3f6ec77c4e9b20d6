import pytest
from django.http import Http404

from krai.org import selectors
from krai.org.tests.factories import OrganisationFactory, PositionFactory, StaffFactory, UserFactory


@pytest.fixture
def staffed(two_blocks):
    w = dict(two_blocks)
    PositionFactory(organisation=w["health"], title="Министр", is_head=True, holder=StaffFactory())
    PositionFactory(organisation=w["health"], title="Заместитель")  # vacant
    PositionFactory(organisation=w["health_unit"], title="Начальник отдела", is_head=True, holder=StaffFactory())
    PositionFactory(organisation=w["finance"], title="Министр финансов", is_head=True)  # vacant
    OrganisationFactory(kind="state_company", block=w["economy"], name="АО «Корпорация»")
    OrganisationFactory(kind="department", block=w["economy"], name="Закрытое", is_active=False)
    return w


def test_staffing_groups_an_organisation_and_its_units(staffed):
    staffing = selectors.staffing(staffed["health"])
    assert [g.organisation.name for g in staffing.groups] == ["Министерство здравоохранения", "Отдел лицензирования"]
    assert (staffing.total, staffing.filled, staffing.vacancies) == (3, 2, 1)
    first = staffing.groups[0]
    assert first.head.title == "Министр" and [p.title for p in first.positions] == ["Министр", "Заместитель"]
    assert (first.total, first.vacancies) == (2, 1)


def test_block_summary_counts_bodies_units_and_vacancies(staffed):
    summary = {s.block.name: s for s in selectors.block_summary()}
    social, economy = summary["Социальный блок"], summary["Экономический блок"]
    assert (social.departments, social.units, social.positions, social.vacancies) == (1, 1, 3, 1)
    assert (economy.departments, economy.state_companies, economy.bodies, economy.vacancies) == (1, 1, 2, 1)


def test_organisation_tree_nests_units_and_skips_inactive(staffed):
    roots = selectors.organisation_tree()
    assert [n.organisation.name for n in roots] == ["Министерство здравоохранения", "Министерство финансов",
                                                   "АО «Корпорация»"]
    assert [c.organisation.name for c in roots[0].children] == ["Отдел лицензирования"]
    only_economy = selectors.organisation_tree(block_id=staffed["economy"].pk)
    assert {n.organisation.name for n in only_economy} == {"Министерство финансов", "АО «Корпорация»"}


def test_internal_reads_answer_404_alike(staffed):
    executor, vice = staffed["executor"], staffed["vice"]
    for pk in (staffed["finance"].pk, staffed["health"].pk, 999_999):
        with pytest.raises(Http404):
            selectors.organisation_people(user=executor, pk=pk)
    assert selectors.organisation_people(user=vice, pk=staffed["health"].pk).organisation == staffed["health"]
    with pytest.raises(Http404):
        selectors.organisation_people(user=UserFactory(), pk=staffed["health"].pk)
    assert not selectors.user_list(user=vice).exists()
