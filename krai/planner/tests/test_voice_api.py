"""The voice API: a real recording (espeak-ng) heard on the server into the same draft as the typed phrase; bad audio
refused with a clear message; recognition off answered 503; staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from krai.orders.tests.factories import government
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.planner.tests.voice_audio import needs_espeak, speak, staff
from krai.planner.voice import dictation

pytestmark = pytest.mark.django_db
PHRASE = "assign ivanov to prepare a note on the roads by friday"
RECOGNISE, PARSE = "/api/v1/planner/voice/recognise/", "/api/v1/planner/voice/parse/"


@pytest.fixture
def gov(settings):
    settings.KRAI_VOICE_ENGINE, settings.KRAI_VOICE_MODEL, settings.KRAI_VOICE_LANGUAGE = "pocketsphinx", "", ""
    settings.KRAI_VOICE_MAX_SECONDS = 30
    gov = government()
    gov.people = staff(gov.health)
    return gov


def test_the_paths_are_named():
    assert reverse("planner-voice-recognise") == RECOGNISE and reverse("planner-voice-parse") == PARSE


@needs_espeak
def test_a_recording_becomes_the_draft_the_typed_phrase_gives(client, gov):
    client.force_login(gov.governor)
    answer = client.post(RECOGNISE, {"audio": _file(speak(PHRASE))})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["engine"] == "pocketsphinx" and body["text"].split()[:2] == ["assign", "ivanov"]
    draft = body["draft"]
    assert draft["intent"] == "order"
    assert draft["executor"]["id"] == gov.people["Иванов"].pk
    typed = dictation.read(PHRASE, user=gov.governor, language_code="en")
    assert draft["deadline"] == typed.deadline.isoformat() and typed.deadline.weekday() == 4
    assert "roads" in draft["subject"]
    assert body["decode_seconds"] > 0 and 3 < body["audio_seconds"] < 6


@needs_espeak
def test_a_stereo_recording_at_44_1_khz_sent_as_the_body_is_heard(client, gov):
    client.force_login(gov.governor)
    data = speak("assign smirnova to check the repairs of schools in two weeks", rate=44100, stereo=True)
    answer = client.post(RECOGNISE, data=data, content_type="audio/wav")
    assert answer.status_code == 200, answer.content
    assert answer.json()["draft"]["executor"]["id"] == gov.people["Смирнова"].pk


@needs_espeak
def test_a_recording_longer_than_the_cap_is_refused_before_decoding(client, gov, settings):
    settings.KRAI_VOICE_MAX_SECONDS = 2
    client.force_login(gov.governor)
    answer = client.post(RECOGNISE, {"audio": _file(speak(PHRASE))})
    assert answer.status_code == 400
    assert "at most 2 seconds" in answer.json()["error"]["fields"]["audio"][0]


def test_what_is_not_a_wav_recording_is_refused_clearly(client, gov):
    client.force_login(gov.governor)
    answer = client.post(RECOGNISE, {"audio": _file(b"ID3\x04\x00" + b"\x00" * 2000, "phrase.mp3")})
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["audio"] == ["This is not a WAV recording: send 16-bit PCM WAV audio."]


def test_a_recording_bigger_than_the_size_cap_is_refused(client, gov, settings):
    settings.KRAI_VOICE_MAX_SECONDS = 1
    client.force_login(gov.governor)
    answer = client.post(RECOGNISE, {"audio": _file(b"RIFF" + b"\x00" * 200_000)})
    assert answer.status_code == 400
    assert "too large" in answer.json()["error"]["fields"]["audio"][0]


def test_no_recording_sent_is_asked_for(client, gov):
    client.force_login(gov.governor)
    answer = client.post(RECOGNISE, {})
    assert answer.status_code == 400 and "audio" in answer.json()["error"]["fields"]


@needs_espeak
def test_recognition_turned_off_answers_503(client, gov, settings):
    settings.KRAI_VOICE_ENGINE = ""
    client.force_login(gov.governor)
    answer = client.post(RECOGNISE, {"audio": _file(speak(PHRASE))})
    assert answer.status_code == 503
    assert "type the phrase" in answer.json()["error"]["message"]


def test_a_typed_phrase_is_read_into_a_draft(client, gov):
    client.force_login(gov.governor)
    answer = client.post(PARSE, {"text": "assign Petrov to prepare a report on the budget", "language": "en"},
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    draft = answer.json()
    assert draft["executor"]["id"] == gov.people["Петров"].pk
    assert draft["deadline"] is None and "deadline" in draft["missing"] and draft["complete"] is False


def test_residents_and_visitors_may_not_dictate(client, gov):
    assert client.post(PARSE, {"text": "assign Petrov"}, content_type="application/json").status_code in (401, 403)
    client.force_login(UserFactory())
    answer = client.post(PARSE, {"text": "assign Petrov"}, content_type="application/json")
    assert answer.status_code == 403


def test_staff_without_orders_to_give_get_a_draft_without_an_executor(client, gov):
    client.force_login(StaffFactory())
    answer = client.post(PARSE, {"text": "assign Petrov to prepare a report by friday", "language": "en"},
                         content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["executor"] is None


def _file(data: bytes, name: str = "phrase.wav"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="audio/wav")
