"""The review of who can see what on a small tree: a block with a department and its unit, a municipality, a
separate body — and people reaching them through the region, the block, the municipality, an ancestor's subtree,
the organisation itself, a system account and a deputy acting today. Every list is checked against the scopes
themselves (``scope_for``), and the counts shown against the lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from krai.administration.selectors import access as selectors
from krai.administration.selectors import access_review as reviews
from krai.integration.tests.factories import external_system
from krai.org.models import Deputyship, Organisation, Role
from krai.org.scopes import scope_for
from krai.org.tests.factories import (
    BlockFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
    assign,
)

pytestmark = pytest.mark.django_db


def small_tree() -> dict[str, Any]:
    """The tree and its people (rows written directly, as fixtures)."""
    social, economy = BlockFactory(name="Социальный блок"), BlockFactory(name="Экономический блок")
    town = MunicipalityFactory(name="Город Тест")
    health = OrganisationFactory(name="Министерство здравоохранения", block=social)
    unit = OrganisationFactory(name="Отдел лицензирования", block=social, parent=health, municipality=town,
                               kind=Organisation.Kind.UNIT)
    finance = OrganisationFactory(name="Министерство финансов", block=economy)
    people: dict[str, Any] = {"social": social, "economy": economy, "town": town, "health": health, "unit": unit,
                              "finance": finance}
    people["admin"] = StaffFactory(surname="Админов")
    assign(people["admin"], Role.ADMINISTRATOR)
    people["controller"] = StaffFactory(surname="Контролёров")
    assign(people["controller"], Role.CONTROLLER)
    people["vice"] = StaffFactory(surname="Вицев")
    assign(people["vice"], Role.VICE_GOVERNOR, block=social)
    people["mayor"] = StaffFactory(surname="Мэров")
    assign(people["mayor"], Role.HEAD, municipality=town)
    people["head"] = StaffFactory(surname="Главов")
    assign(people["head"], Role.HEAD, organisation=health)
    people["executor"] = StaffFactory(surname="Исполнителев")
    assign(people["executor"], Role.EXECUTOR, organisation=unit)
    people["financier"] = StaffFactory(surname="Финансов")
    assign(people["financier"], Role.HEAD, organisation=finance)
    people["closed"] = StaffFactory(surname="Уволенов", is_active=False)
    assign(people["closed"], Role.HEAD, organisation=health)
    people["outsider"] = UserFactory(surname="Нештатов")  # a staff role without the staff flag grants nothing
    assign(people["outsider"], Role.HEAD, organisation=health)
    people["system"] = external_system("sed-health", organisation=health).account
    people["deputy"] = StaffFactory(surname="Замов")
    today = timezone.localdate()
    Deputyship.objects.create(principal=people["head"], deputy=people["deputy"], starts_on=today,
                              ends_on=today + timedelta(days=5), reason="отпуск")
    people["later"] = StaffFactory(surname="Позжев")  # a deputyship not yet in force adds nothing today
    Deputyship.objects.create(principal=people["head"], deputy=people["later"], starts_on=today + timedelta(days=7),
                              ends_on=today + timedelta(days=9))
    return people


def _by_person(review: reviews.ObjectReview) -> dict[int, list[reviews.Coverage]]:
    found: dict[int, list[reviews.Coverage]] = {}
    for row in review.rows:
        found.setdefault(row.person.pk, []).append(row)
    return found


def _covering(obj: Organisation) -> set[int]:
    """Whose scope covers ``obj``, asked of the scopes themselves, person by person."""
    from krai.org.models import User

    return {user.pk for user in User.objects.all() if scope_for(user).covers_organisation(obj)}


def test_an_organisation_is_reached_through_every_kind_of_scope():
    t = small_tree()
    review = reviews.review_object(user=t["admin"], obj=t["unit"])
    rows = _by_person(review)
    through = {pk: {(r.role, r.through) for r in found} for pk, found in rows.items()}
    assert through[t["admin"].pk] == {(Role.ADMINISTRATOR, reviews.REGION)}
    assert through[t["controller"].pk] == {(Role.CONTROLLER, reviews.REGION)}
    assert through[t["vice"].pk] == {(Role.VICE_GOVERNOR, reviews.BLOCK)}
    assert through[t["mayor"].pk] == {(Role.HEAD, reviews.MUNICIPALITY)}
    assert through[t["head"].pk] == {(Role.HEAD, reviews.ANCESTOR)}
    assert through[t["executor"].pk] == {(Role.EXECUTOR, reviews.ITSELF)}
    assert through[t["system"].pk] == {(Role.CONTROLLER, reviews.ANCESTOR)}
    assert all(r.is_system for r in rows[t["system"].pk]) and not any(r.is_system for r in rows[t["head"].pk])
    deputy_rows = rows[t["deputy"].pk]
    assert [(r.acting_for, r.through) for r in deputy_rows] == [(t["head"], reviews.ANCESTOR)]
    assert "Министерство здравоохранения" in deputy_rows[0].through_label
    for absent in ("financier", "closed", "outsider", "later"):
        assert t[absent].pk not in rows, absent
    # the people listed (deputies apart) are exactly those whose scope covers it
    assert {pk for pk, found in rows.items() if all(r.acting_for is None for r in found)} == _covering(t["unit"])
    assert review.people == len(rows) == 8 and review.systems == 1 and review.deputies == 1


def test_the_department_itself_and_another_block():
    t = small_tree()
    health = _by_person(reviews.review_object(user=t["admin"], obj=t["health"]))
    assert {r.through for r in health[t["head"].pk]} == {reviews.ITSELF}
    assert t["mayor"].pk not in health and t["executor"].pk not in health  # a unit's people do not see up
    finance = _by_person(reviews.review_object(user=t["admin"], obj=t["finance"]))
    assert set(finance) == _covering(t["finance"]) == {t["admin"].pk, t["controller"].pk, t["financier"].pk}


def test_a_municipality_and_a_block_as_a_whole():
    t = small_tree()
    town = _by_person(reviews.review_object(user=t["admin"], obj=t["town"]))
    assert set(town) == {t["admin"].pk, t["controller"].pk, t["mayor"].pk}
    block = _by_person(reviews.review_object(user=t["admin"], obj=t["social"]))
    assert set(block) == {t["admin"].pk, t["controller"].pk, t["vice"].pk}
    assert block[t["vice"].pk][0].through_label == "the block “Социальный блок”"


def test_a_superuser_sees_the_whole_region():
    t = small_tree()
    root = UserFactory(surname="Суперов", is_superuser=True)
    rows = _by_person(reviews.review_object(user=t["admin"], obj=t["finance"]))
    assert [r.through for r in rows[root.pk]] == [reviews.SUPERUSER]


def test_what_a_person_sees_counts_what_the_scope_covers():
    t = small_tree()
    OrganisationFactory(name="Ликвидированное управление", block=t["social"], is_active=False)
    for name, expected in (("head", 2), ("vice", 2), ("mayor", 1), ("executor", 1), ("admin", 3)):
        person = t[name]
        summary = selectors.scope_summary(person)
        listed = list(selectors.covered_organisations(person))
        assert summary.organisations == len(listed) == expected, name
        if name != "admin":
            assert sum(part.organisations for part in summary.parts) == expected
    vice = selectors.scope_summary(t["vice"])
    assert [part.label for part in vice.parts] == ["the block “Социальный блок”"]
    head = selectors.scope_summary(t["head"])
    assert [part.label for part in head.parts] == ["the organisation “Министерство здравоохранения” and its units"]
    assert selectors.scope_summary(t["outsider"]).parts == []  # no staff flag: nothing
    assert selectors.scope_summary(t["closed"]).organisations == 0
    assert [part.label for part in selectors.scope_summary(t["admin"]).parts] == ["the whole region"]


def test_what_a_person_may_do_is_his_permissions():
    t = small_tree()
    review = reviews.review_person(user=t["admin"], person=t["head"])
    granted = {item.permission.name: item.allowed for item in review.granted}
    for name, allowed in granted.items():
        assert allowed == t["head"].has_perm(name), name
    assert granted["workspace.access"] and not granted["administration.manage_access"]
    admin = {item.permission.name: item.allowed for item in reviews.review_person(user=t["admin"],
                                                                                  person=t["admin"]).granted}
    assert admin["administration.manage_access"] and admin["core.view_audit"]
    assert reviews.review_person(user=t["admin"], person=t["system"]).is_system


def test_a_controller_of_a_block_reviews_only_what_his_scope_covers():
    t = small_tree()
    narrow = StaffFactory(surname="Блоков")
    assign(narrow, Role.CONTROLLER, block=t["economy"])
    organisations, municipalities, blocks = reviews.reviewable(narrow)
    assert list(organisations) == [t["finance"]] and not municipalities.exists() and list(blocks) == [t["economy"]]
    people = set(selectors.people_list(user=narrow).values_list("pk", flat=True))
    assert t["financier"].pk in people and t["head"].pk not in people
