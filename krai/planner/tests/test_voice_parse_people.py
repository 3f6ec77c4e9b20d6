"""Who a dictated phrase names, against staff in the database: inflected Russian surnames of both genders, a given
name or initials deciding between two Ivanovs, English transliterations, and only people the speaker may give orders
to. The index is built once per request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krai.org.models import Position, Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign
from krai.planner.tests.voice_table import TODAY
from krai.planner.voice import people
from krai.planner.voice.parse import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    """A department with its units: two Ivanovs (one in roads, one in finance), Иванова, Петрова, Сидоров, Шевченко,
    Ковальчук the man and Ковальчук the woman; the governor dictates."""
    department = OrganisationFactory(name="Министерство транспорта")
    roads = OrganisationFactory(name="Отдел дорог", parent=department, block=department.block, kind="unit")
    finance = OrganisationFactory(name="Финансовый отдел", parent=department, block=department.block, kind="unit")

    def person(surname: str, given: str, patronymic: str, unit=roads):
        member = StaffFactory(surname=surname, given_name=given, patronymic=patronymic)
        Position.objects.create(organisation=unit, title="Специалист", holder=member)
        return member

    found = {
        "ivanov_ivan": person("Иванов", "Иван", "Петрович"),
        "ivanov_sergey": person("Иванов", "Сергей", "Николаевич", finance),
        "ivanova": person("Иванова", "Мария", "Сергеевна", finance),
        "petrova": person("Петрова", "Анна", "Викторовна"),
        "sidorov": person("Сидоров", "Пётр", "Алексеевич"),
        "shevchenko": person("Шевченко", "Олег", "Богданович"),
        "kovalchuk": person("Ковальчук", "Денис", "Олегович"),
        "kovalchuk_f": person("Ковальчук", "Мария", "Степановна", finance),
        "roads": roads, "finance": finance, "department": department,
    }
    found["governor"] = StaffFactory(surname="Губернский", given_name="Виктор")
    assign(found["governor"], Role.GOVERNOR)
    return found


def executor(staff, phrase: str, language: str = "ru"):
    return parse(phrase, user=staff["governor"], language=language, today=TODAY)


def test_two_ivanovs_are_both_offered_and_neither_chosen(staff):
    draft = executor(staff, "поручить Иванову подготовить справку по дорогам до пятницы")
    assert draft.executor is None
    assert "executor" in draft.missing
    assert {match.user_id for match in draft.candidates} == {staff["ivanov_ivan"].pk, staff["ivanov_sergey"].pk}
    units = {match.user_id: match.unit for match in draft.candidates}
    assert units[staff["ivanov_ivan"].pk].startswith("Отдел дорог")
    assert units[staff["ivanov_sergey"].pk].startswith("Финансовый отдел")


@pytest.mark.parametrize(("phrase", "who"), [
    ("поручить Сергею Иванову подготовить справку", "ivanov_sergey"),
    ("поручить Ивану Петровичу Иванову подготовить справку", "ivanov_ivan"),
    ("поручить Иванову Сергею подготовить справку", "ivanov_sergey"),
    ("поручить И. П. Иванову подготовить справку", "ivanov_ivan"),
    ("поручить Иванову С. Н. подготовить справку", "ivanov_sergey"),
    ("поручить Ивану Петровичу подготовить справку", "ivanov_ivan"),  # name and patronymic, no surname
    ("поручить Ивановой подготовить справку", "ivanova"),
    ("попросить Иванову подготовить справку", "ivanova"),  # "просить кого": the accusative is hers
    ("пусть Иванова подготовит справку", "ivanova"),
    ("справку готовит Ивановой поручить", "ivanova"),
    ("поручить Петру Сидорову подготовить справку", "sidorov"),
    ("поручить Сидорову подготовить справку", "sidorov"),
    ("ответственный Сидоров", "sidorov"),
    ("проверку провести Сидоровым", "sidorov"),
    ("поручить Шевченко подготовить справку", "shevchenko"),
    ("поручить Ковальчуку подготовить справку", "kovalchuk"),  # declined: the man
    ("поручить Ковальчук подготовить справку", "kovalchuk_f"),  # not declined: the woman
])
def test_russian_inflections_name_the_right_person(staff, phrase, who):
    draft = executor(staff, phrase)
    assert draft.executor is not None, draft
    assert draft.executor.user_id == staff[who].pk
    assert "executor" not in draft.missing


def test_a_dative_names_the_man_when_both_work_here(staff):
    """"Иванову" is the dative of Иванов and the accusative of Иванова: "поручить кому" decides for him — here for
    both Ivanovs, so it stays ambiguous between them, never her."""
    draft = executor(staff, "поручить Иванову подготовить справку")
    assert staff["ivanova"].pk not in {match.user_id for match in draft.candidates}


def test_a_mans_form_of_a_womans_surname_is_offered_not_chosen(staff):
    draft = executor(staff, "поручить Петрову подготовить справку к пятнице")
    assert draft.executor is None and "executor" in draft.missing
    assert [match.user_id for match in draft.candidates] == [staff["petrova"].pk]


@pytest.mark.parametrize(("phrase", "who"), [
    ("assign Sidorov to prepare a note on the roads by Friday", "sidorov"),
    ("tell Sergey Ivanov to prepare a note", "ivanov_sergey"),
    ("tell Sergei Ivanov to prepare a note", "ivanov_sergey"),
    ("ask Ivanova to check the report", "ivanova"),
    ("ask Petrova to check the report", "petrova"),
    ("tell Shevchenko to prepare a note", "shevchenko"),
    ("tell Sidorow to prepare a note", "sidorov"),  # a letter misheard: the close spelling
    ("Sidorov should prepare a note", "sidorov"),
    ("tell Pyotr Sidorov to prepare a note", "sidorov"),
    ("tell Mr Sidorov to prepare a note", "sidorov"),
    ("tell Sergey Nikolaevich to prepare a note", "ivanov_sergey"),  # name and patronymic, no surname
])
def test_english_transliterations_name_the_right_person(staff, phrase, who):
    draft = executor(staff, phrase, "en")
    assert draft.executor is not None, draft
    assert draft.executor.user_id == staff[who].pk


def test_english_ivanov_alone_is_ambiguous_and_petrov_is_nobody(staff):
    draft = executor(staff, "assign Ivanov to prepare a note", "en")
    assert draft.executor is None
    assert {match.user_id for match in draft.candidates} == {staff["ivanov_ivan"].pk, staff["ivanov_sergey"].pk}
    nobody = executor(staff, "tell Petrov to prepare a note", "en")
    assert nobody.executor is None and nobody.candidates == [] and "executor" in nobody.missing
    assert nobody.subject == "Prepare a note"


def test_nobody_named_or_unknown_asks_for_the_executor(staff):
    for phrase in ("поручить подготовить справку до пятницы", "поручить Иваненко подготовить справку",
                   "подготовить справку по дорогам"):
        draft = executor(staff, phrase)
        assert draft.executor is None and draft.candidates == []
        assert "executor" in draft.missing
        assert draft.subject.startswith("Подготовить справку")


def test_only_people_the_speaker_may_give_orders_to_are_matched(staff):
    """A head of the roads unit may order his unit, not finance: Сергей Иванов is no one to him."""
    head = StaffFactory(surname="Начальников", given_name="Олег")
    assign(head, Role.HEAD, organisation=staff["roads"])
    draft = parse("поручить Иванову подготовить справку", user=head, language="ru", today=TODAY)
    assert draft.executor is not None and draft.executor.user_id == staff["ivanov_ivan"].pk
    finance_only = parse("поручить Ивановой подготовить справку", user=head, language="ru", today=TODAY)
    assert finance_only.executor is None and finance_only.candidates == []


def test_inactive_staff_are_not_matched(staff):
    staff["sidorov"].is_active = False
    staff["sidorov"].save(update_fields=["is_active"])
    draft = executor(staff, "поручить Сидорову подготовить справку")
    assert draft.executor is None and "executor" in draft.missing


def test_a_task_names_nobody_and_keeps_the_names_in_its_subject(staff):
    draft = executor(staff, "напомнить мне позвонить Сидорову завтра")
    assert draft.intent == "task"
    assert draft.executor is not None and draft.executor.user_id == staff["governor"].pk
    assert draft.subject == "Позвонить Сидорову"
    assert draft.missing == []


def test_the_staff_index_is_built_once_per_request(staff):
    governor = staff["governor"]
    with CaptureQueriesContext(connection) as first:
        parse("поручить Сидорову подготовить справку", user=governor, language="ru", today=TODAY)
    with CaptureQueriesContext(connection) as second:
        parse("поручить Сидорову проверить отчёт", user=governor, language="ru", today=TODAY)
    assert len(second) < len(first)
    assert not any("org_user" in query["sql"] and "org_position" in query["sql"] for query in second.captured_queries)
    assert people.staff_index_for(governor) is people.staff_index_for(governor)


def test_the_index_reads_thousands_of_staff():
    """5,000 people as a region has are all indexed (how fast is the benchmark's, bench/bench_voice_phrases.py, not a
    timed test's)."""
    rows = [(pk, f"Фамилия{pk}", "Иван", "Петрович") for pk in range(5000)]
    index = people.StaffIndex.from_rows(rows, units={})
    assert len(index) == 5000
