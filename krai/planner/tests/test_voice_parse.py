"""Reading a dictated phrase into a draft: intent, subject, priority, what is missing, the language and today's date
by default. People and dates have their own tests (``test_voice_parse_people``, ``test_voice_dates``)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from krai.planner.tests.voice_table import TODAY, official_calendar
from krai.planner.voice.parse import parse
from krai.planner.voice.people import StaffIndex

STAFF = StaffIndex.from_rows([(1, "Иванов", "Иван", "Петрович"), (2, "Сидоров", "Пётр", "Алексеевич"),
                              (3, "Петрова", "Анна", "Викторовна")], units={1: "Отдел дорог", 2: "Отдел ЧС",
                                                                            3: "Отдел статистики"})


class Speaker:
    pk = 99
    full_name = "Губернский Виктор Павлович"


def read(phrase: str, language: str | None = None, today: date = TODAY):
    return parse(phrase, user=Speaker(), language=language, today=today, staff=STAFF, calendar=official_calendar())


def test_the_issue_example_becomes_a_complete_draft_order():
    draft = read("поручить Иванову подготовить справку по дорогам до пятницы")
    assert draft.intent == "order"
    assert draft.executor is not None and draft.executor.full_name == "Иванов Иван Петрович"
    assert draft.executor.unit == "Отдел дорог"
    assert draft.subject == "Подготовить справку по дорогам"
    assert draft.deadline == date(2026, 12, 4) and draft.deadline_words == "до пятницы"
    assert draft.priority == "normal"
    assert draft.missing == [] and draft.complete
    assert draft.language == "ru"


def test_the_english_example_becomes_the_same_draft():
    draft = read("assign Ivanov to prepare a note on the roads by Friday")
    assert draft.language == "en"
    assert (draft.intent, draft.executor.user_id, draft.subject, draft.deadline) == (
        "order", 1, "Prepare a note on the roads", date(2026, 12, 4))
    assert draft.deadline_words == "by Friday"


@pytest.mark.parametrize("phrase", [
    "поручить Сидорову проверить отчёт", "поручаю Сидорову проверить отчёт", "дать поручение Сидорову проверить отчёт",
    "пусть Сидоров проверит отчёт", "прошу Сидорова проверить отчёт", "Сидорову проверить отчёт",
    "assign Sidorov to check the report", "tell Sidorov to check the report", "ask Sidorov to check the report",
    "have Sidorov check the report", "Sidorov should check the report",
])
def test_order_words_make_an_order_to_the_person_named(phrase):
    draft = read(phrase)
    assert draft.intent == "order"
    assert draft.executor is not None and draft.executor.user_id == 2
    assert draft.subject in ("Проверить отчёт", "Check the report")


@pytest.mark.parametrize(("phrase", "subject"), [
    ("напомнить мне проверить отчёт Сидорова", "Проверить отчёт Сидорова"),
    ("запланировать совещание по бюджету", "Совещание по бюджету"),
    ("добавить задачу проверить отчёт", "Проверить отчёт"),
    ("remind me to call Sidorov", "Call Sidorov"),
    ("add a task to check the report", "Check the report"),
    ("schedule a budget meeting", "Budget meeting"),
])
def test_task_words_make_a_task_for_the_speaker(phrase, subject):
    draft = read(phrase)
    assert draft.intent == "task"
    assert draft.executor is not None and draft.executor.user_id == Speaker.pk
    assert draft.subject == subject
    assert draft.missing == ["deadline"]  # a task without a date asks for one too


@pytest.mark.parametrize(("phrase", "priority"), [
    ("поручить Сидорову срочно проверить отчёт", "urgent"),
    ("поручить Сидорову немедленно проверить отчёт", "urgent"),
    ("поручить Сидорову в срочном порядке проверить отчёт", "urgent"),
    ("поручить Сидорову проверить отчёт, это важно", "high"),
    ("поручить Сидорову проверить отчёт с высоким приоритетом", "high"),
    ("tell Sidorov to check the report urgently", "urgent"),
    ("tell Sidorov to check the report asap", "urgent"),
    ("tell Sidorov to check the report as soon as possible", "urgent"),
    ("tell Sidorov to check the report, high priority", "high"),
    ("tell Sidorov to check the report, it's important", "high"),
    ("поручить Сидорову проверить отчёт", "normal"),
])
def test_priority_words_are_read_and_kept_out_of_the_subject(phrase, priority):
    draft = read(phrase)
    assert draft.priority == priority
    assert draft.subject in ("Проверить отчёт", "Check the report")


def test_urgent_without_a_date_still_asks_for_the_date():
    draft = read("поручить Сидорову немедленно выехать на место аварии")
    assert draft.priority == "urgent" and draft.deadline is None
    assert draft.missing == ["deadline"] and not draft.complete


def test_a_phrase_with_nothing_but_a_name_asks_for_the_subject_and_date():
    draft = read("поручить Сидорову")
    assert draft.executor is not None
    assert draft.missing == ["deadline", "subject"]


def test_politeness_and_address_are_left_out_of_the_subject():
    assert read("Сидоров, подготовьте, пожалуйста, справку по школам").subject == "Подготовить справку по школам"
    assert read("Sidorov, please prepare a note on schools").subject == "Prepare a note on schools"


def test_the_subject_keeps_other_people_and_dates_it_is_about():
    draft = read("поручить Сидорову подготовить отчёт за 1 декабря совместно с Петровой к пятнице")
    assert draft.executor.user_id == 2
    assert draft.subject == "Подготовить отчёт за 1 декабря совместно с Петровой"
    assert draft.deadline == date(2026, 12, 4)


def test_the_language_is_told_from_the_letters_or_a_locale():
    assert read("поручить Сидорову проверить отчёт").language == "ru"
    assert read("tell Sidorov to check the report").language == "en"
    assert read("поручить Сидорову проверить отчёт", language="ru-RU").language == "ru"
    assert read("tell Sidorov to check the report", language="en_GB").language == "en"
    assert read("tell Sidorov to check the report", language="de").language == "en"


def test_deadlines_count_from_today_by_default(db):
    draft = parse("поручить Сидорову проверить отчёт через 3 дня", user=Speaker(), staff=STAFF)
    assert draft.deadline == timezone.localdate() + timedelta(days=3)


def test_an_empty_phrase_is_a_draft_with_everything_missing():
    draft = read("")
    assert draft.missing == ["executor", "deadline", "subject"]
    assert draft.candidates == [] and draft.executor is None


@pytest.mark.parametrize(("phrase", "subject"), [
    ("Сидорову проверить исполнение поручения к пятнице", "Проверить исполнение поручения"),
    ("Сидорову передать документы в архив до пятницы", "Передать документы в архив"),
    ("Sidorov should check the order execution by Friday", "Check the order execution"),
    ("Sidorov should ask the ministry for data by Friday", "Ask the ministry for data"),
])
def test_order_words_inside_the_work_stay_in_the_subject(phrase, subject):
    draft = read(phrase)
    assert (draft.executor.user_id, draft.subject, draft.deadline) == (2, subject, date(2026, 12, 4))


def test_a_name_said_before_please_is_the_executor():
    draft = read("Иван Петрович, прошу подготовить справку к пятнице")
    assert draft.executor is not None and draft.executor.user_id == 1
    assert draft.subject == "Подготовить справку"


def test_short_surnames_that_are_english_words_need_a_capital():
    staff = StaffIndex.from_rows([(7, "Ан", "Виктор", "Ильич"), (8, "Ли", "Анна", "Сергеевна")], units={})
    common = parse("assign an engineer to check the boilers by Friday", user=Speaker(), today=TODAY, staff=staff,
                   calendar=official_calendar())
    assert common.executor is None and common.candidates == []
    named = parse("tell Li to check the boilers by Friday", user=Speaker(), today=TODAY, staff=staff,
                  calendar=official_calendar())
    assert named.executor is not None and named.executor.user_id == 8
