"""Several executors in one phrase ("поручить Иванову и Петровой …", "assign Ivanov, Petrov and Sidorova to …"): every
one kept in the order said with the words that named him, the first responsible; an unknown or ambiguous one asked for
while the others stay; "and" inside the subject is not a list of people."""

import pytest

from krai.planner.tests.voice_table import TODAY, official_calendar
from krai.planner.voice import dictation
from krai.planner.voice.parse import parse
from krai.planner.voice.people import StaffIndex

STAFF = StaffIndex.from_rows(
    [(1, "Иванов", "Иван", "Петрович"), (2, "Иванов", "Сергей", "Николаевич"), (3, "Петрова", "Анна", "Викторовна"),
     (4, "Петров", "Олег", "Ильич"), (5, "Сидорова", "Мария", "Павловна"), (6, "Козлов", "Николай", "Дмитриевич"),
     (7, "Гусев", "Евгений", "Викторович"), (8, "Цой", "Алина", "Валерьевна")],
    units={pk: f"Отдел {pk}" for pk in range(1, 9)})


class Speaker:
    pk = 99
    full_name = "Губернский Виктор Павлович"


def read(phrase: str, language: str | None = None):
    return parse(phrase, user=Speaker(), language=language, today=TODAY, staff=STAFF, calendar=official_calendar())


def people(draft) -> list[int | None]:
    return [named.person.user_id if named.person else None for named in draft.executors]


@pytest.mark.parametrize(("phrase", "ids", "words"), [
    ("поручить Козлову и Петровой подготовить справку до пятницы", [6, 3], ["Козлову", "Петровой"]),
    ("поручить Козлову, Петрову и Сидоровой подготовить справку до пятницы", [6, 4, 5],
     ["Козлову", "Петрову", "Сидоровой"]),
    ("поручить Козлову, а также Гусеву подготовить справку до пятницы", [6, 7], ["Козлову", "Гусеву"]),
    ("поручить Ивану Петровичу Иванову и Цой подготовить справку до пятницы", [1, 8],
     ["Ивану Петровичу Иванову", "Цой"]),
    ("пусть Козлов и Гусев подготовят справку до пятницы", [6, 7], ["Козлов", "Гусев"]),
    ("assign Kozlov and Petrova to prepare a note by Friday", [6, 3], ["Kozlov", "Petrova"]),
    ("assign Kozlov, Petrov and Sidorova to prepare a note by Friday", [6, 4, 5], ["Kozlov", "Petrov", "Sidorova"]),
    ("assign kozlov, petrov and sidorova to prepare a note by friday", [6, 4, 5], ["kozlov", "petrov", "sidorova"]),
    ("tell Mr Kozlov and Ms Petrova to prepare a note by Friday", [6, 3], ["Kozlov", "Petrova"]),
    ("Kozlov and Gusev should prepare a note by Friday", [6, 7], ["Kozlov", "Gusev"]),
    ("assign Kozlov and Gusyev to prepare a note by Friday", [6, 7], ["Kozlov", "Gusyev"]),  # a close spelling
])
def test_every_executor_is_kept_with_his_words_the_first_responsible(phrase, ids, words):
    draft = read(phrase)
    assert people(draft) == ids and draft.executor_words == words
    assert draft.executor.user_id == ids[0] and draft.candidates == []
    assert [named.person.user_id for named in draft.co_executors] == ids[1:]
    assert draft.subject in ("Подготовить справку", "Prepare a note") and draft.deadline.isoformat() == "2026-12-04"
    assert draft.missing == [] and draft.complete


def test_an_ambiguous_executor_is_offered_to_choose_while_the_others_stay():
    draft = read("поручить Иванову и Петровой подготовить справку до пятницы")
    assert draft.executor_words == ["Иванову", "Петровой"] and people(draft) == [None, 3]
    assert {match.user_id for match in draft.executors[0].candidates} == {1, 2}
    assert draft.executor is None and {match.user_id for match in draft.candidates} == {1, 2}
    assert draft.missing == ["executor"] and draft.subject == "Подготовить справку"


def test_an_ambiguous_co_executor_is_asked_for_the_responsible_stays():
    draft = read("assign Kozlov, Ivanov and Petrova to prepare a note by Friday")
    assert people(draft) == [6, None, 3] and draft.executor.user_id == 6
    assert {match.user_id for match in draft.executors[1].candidates} == {1, 2}
    assert draft.missing == ["executor"] and draft.subject == "Prepare a note"


@pytest.mark.parametrize(("phrase", "ids", "words"), [
    ("поручить Смиту и Петровой подготовить справку до пятницы", [None, 3], ["Смиту", "Петровой"]),
    ("поручить Петровой и Смиту подготовить справку до пятницы", [3, None], ["Петровой", "Смиту"]),
    ("assign Smith and Petrova to prepare a note by Friday", [None, 3], ["Smith", "Petrova"]),
    ("assign Petrova and Smith to prepare a note by Friday", [3, None], ["Petrova", "Smith"]),
    ("поручить Смиту и Джонсу подготовить справку до пятницы", [None, None], ["Смиту", "Джонсу"]),
])
def test_a_name_nobody_here_has_is_asked_for_not_guessed_nor_left_in_the_subject(phrase, ids, words):
    draft = read(phrase)
    assert people(draft) == ids and draft.executor_words == words
    assert all(named.candidates == [] for named in draft.executors if named.person is None)
    assert draft.missing == ["executor"] and draft.subject in ("Подготовить справку", "Prepare a note")


def test_a_case_the_order_word_does_not_govern_is_offered_not_chosen_in_a_list_too():
    """"поручить … Петрову" (dative) where Петрова (accusative) is meant and no Петров works: offered, not chosen —
    as with one executor."""
    staff = StaffIndex.from_rows([(6, "Козлов", "Николай", "Дмитриевич"), (3, "Петрова", "Анна", "Викторовна")],
                                 units={6: "", 3: ""})
    draft = parse("поручить Козлову и Петрову подготовить справку до пятницы", user=Speaker(), today=TODAY,
                  staff=staff, calendar=official_calendar())
    assert people(draft) == [6, None] and [match.user_id for match in draft.executors[1].candidates] == [3]
    assert draft.missing == ["executor"]


@pytest.mark.parametrize(("phrase", "subject"), [
    ("поручить Козлову проверить котельные и тепловые сети до пятницы", "Проверить котельные и тепловые сети"),
    ("поручить Козлову связаться с Петровой и подготовить график до пятницы",
     "Связаться с Петровой и подготовить график"),
    ("поручить Козлову и подготовить справку до пятницы", "Подготовить справку"),
    ("assign Kozlov to check the boiler houses and the heating mains by Friday",
     "Check the boiler houses and the heating mains"),
    ("ask Kozlov and the ministry to send the data by Friday", "Ministry to send the data"),
])
def test_and_in_the_subject_names_nobody_more(phrase, subject):
    draft = read(phrase)
    assert people(draft) == [6] and draft.executor_words[0] in ("Козлову", "Kozlov")
    assert draft.subject == subject


def test_one_executor_reads_as_before_with_his_words():
    draft = read("поручить Ивану Петровичу подготовить справку до пятницы")
    assert people(draft) == [1] and draft.executor_words == ["Ивану Петровичу"] and draft.co_executors == []
    unknown = read("поручить Смиту подготовить справку до пятницы")
    assert unknown.executor_words == ["Смиту"] and people(unknown) == [None] and unknown.missing == ["executor"]


def test_a_task_names_no_executors():
    draft = read("напомнить мне позвонить Козлову и Петровой завтра")
    assert draft.intent == "task" and draft.executors == [] and draft.executor_words == []
    assert draft.executor.user_id == Speaker.pk


def test_the_api_answer_holds_every_executor_and_his_words():
    answer = dictation.draft_json(read("поручить Иванову и Петровой подготовить справку до пятницы"))
    assert answer["executor_words"] == ["Иванову", "Петровой"]
    first, second = answer["executors"]
    assert first["words"] == "Иванову" and first["person"] is None and len(first["candidates"]) == 2
    assert second == {"words": "Петровой", "person": {"id": 3, "name": "Петрова Анна Викторовна",
                                                      "unit": "Отдел 3", "score": 0.9}, "candidates": []}
    assert answer["executor"] is None and len(answer["candidates"]) == 2 and answer["missing"] == ["executor"]
