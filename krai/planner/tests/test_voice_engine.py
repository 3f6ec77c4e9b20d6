"""Speech recognition on the server with real audio: phrases synthesised by espeak-ng, heard by pocketsphinx (its
US English model from the wheel) constrained by the grammar built from the organisation's staff, and read into the
same draft (executor, deadline) as the phrase typed."""

from __future__ import annotations

import pytest

from krai.orders.tests.factories import government
from krai.planner.tests.voice_audio import needs_espeak, speak, staff
from krai.planner.voice import dictation, engines

pytestmark = [pytest.mark.django_db, needs_espeak]


@pytest.fixture
def gov(settings):
    settings.KRAI_VOICE_ENGINE, settings.KRAI_VOICE_MODEL, settings.KRAI_VOICE_LANGUAGE = "pocketsphinx", "", ""
    gov = government()
    gov.people = staff(gov.health)
    return gov


@pytest.mark.parametrize(("phrase", "surname"), [
    ("assign ivanov to prepare a note on the roads by friday", "Иванов"),
    ("assign smirnova to check the repairs of schools in two weeks", "Смирнова"),
    ("instruct petrov to prepare a report on the budget by tomorrow", "Петров"),
])
def test_a_dictated_order_is_heard_into_the_draft_the_typed_phrase_gives(gov, phrase, surname):
    heard = engines.recognise(speak(phrase))
    assert heard.engine == "pocketsphinx" and heard.language == "en" and heard.audio_seconds > 2
    assert heard.text.split()[:2] == phrase.split()[:2]
    draft = dictation.read(heard.text, user=gov.governor, language_code="en")
    typed = dictation.read(phrase, user=gov.governor, language_code="en")
    assert draft.intent == "order"
    assert draft.executor is not None and draft.executor.user_id == gov.people[surname].pk
    assert typed.deadline is not None and draft.deadline == typed.deadline


def test_several_executors_are_heard_into_the_draft(gov):
    phrase = "assign ivanov and smirnova to prepare a note on the roads by friday"
    heard = engines.recognise(speak(phrase))
    draft = dictation.read(heard.text, user=gov.governor, language_code="en")
    assert heard.text.split()[:4] == phrase.split()[:4], heard.text
    assert [named.person.user_id for named in draft.executors if named.person] == [
        gov.people["Иванов"].pk, gov.people["Смирнова"].pk]
    assert draft.executor_words == ["ivanov", "smirnova"]


def test_a_task_for_oneself_is_heard_as_a_task(gov):
    heard = engines.recognise(speak("remind me to call the ministry of health by monday"))
    assert heard.text.startswith("remind me to")
    draft = dictation.read(heard.text, user=gov.governor, language_code="en")
    assert draft.intent == "task" and "ministry" in draft.subject


def test_silence_is_heard_as_nothing(gov):
    from krai.planner.tests.test_voice_engine_parts import _wav

    heard = engines.recognise(_wav(b"\x00\x00" * 16000 * 2))
    assert heard.text == ""
