"""The parts under the recogniser: audio checked and made 16 kHz mono, the grammar built from the staff (every word
pronounceable, rebuilt when the staff change), espeak-ng's phonemes in ARPAbet, and the engine chosen by settings."""

from __future__ import annotations

import io
import wave

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from krai.org.tests.factories import StaffFactory
from krai.planner.tests.voice_audio import needs_espeak, speak
from krai.planner.voice import audio, engines, grammar


def _wav(samples: bytes, *, rate: int = 16000, channels: int = 1, width: int = 2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(samples)
    return buffer.getvalue()


def test_a_stereo_48_khz_recording_becomes_16_khz_mono(settings):
    settings.KRAI_VOICE_MAX_SECONDS = 30
    one_second = (b"\x10\x00\x30\x00") * 48000  # left 16, right 48: mono is their mean, 32
    prepared = audio.prepare(_wav(one_second, rate=48000, channels=2))
    assert len(prepared.pcm) == 16000 * 2 and prepared.seconds == pytest.approx(1.0)
    assert prepared.pcm[:2] == b"\x20\x00"


@pytest.mark.parametrize(("data", "message"), [
    (b"OggS" + b"\x00" * 100, "This is not a WAV recording"),
    (_wav(b"\x00" * 300, width=1), "16-bit PCM"),
    (_wav(b""), "empty"),
])
def test_recordings_the_engines_cannot_take_are_refused_clearly(settings, data, message):
    settings.KRAI_VOICE_MAX_SECONDS = 30
    with pytest.raises(ValidationError) as refused:
        audio.prepare(data)
    assert message in refused.value.message_dict["audio"][0]


def test_the_length_cap_is_read_from_the_header_before_decoding(settings):
    settings.KRAI_VOICE_MAX_SECONDS = 1
    with pytest.raises(ValidationError) as refused:
        audio.prepare(_wav(b"\x00\x00" * 8000 * 3, rate=8000))
    assert refused.value.message_dict["audio"] == ["The recording lasts 3 seconds; at most 1 seconds are taken."]


def test_arpabet_from_espeak_ipa():
    assert grammar.arpabet("smɜːnˈoʊvə") == "S M ER N OW V AH"
    assert grammar.arpabet("pˈɛtɹɑːv") == "P EH T R AA V"
    assert grammar.arpabet("tʃˌeɪkəvskˈɑːjə") == "CH EY K AH V S K AA Y AH"


def test_surnames_in_latin_letters_and_russian_forms():
    assert grammar.transliterate("Щербакова") == "shcherbakova"
    assert grammar.surname_forms("Иванов7", "en") == ["ivanov"]
    assert {"иванов", "иванову", "иванова"} <= set(grammar.surname_forms("Иванов", "ru"))


@needs_espeak
def test_every_word_of_the_grammar_is_pronounceable():
    vocabulary = engines.PocketSphinxEngine().vocabulary
    built = grammar.build("en", ["Ковальчук", "Смирнова", "Иванов"], known=vocabulary.__contains__)
    assert "kovalchuk" in built.surnames and "<person> = ivanov | kovalchuk | smirnova;" in built.jsgf
    assert "<verb> <person> (<joining> <person>)* [to] <subject>" in built.jsgf  # "assign ivanov and petrov to"
    assert not [word for word in built.words if word not in vocabulary and word not in built.pronunciations]
    assert built.pronunciations["kovalchuk"].startswith("K")


@pytest.mark.django_db
def test_the_grammar_is_rebuilt_when_the_staff_change():
    StaffFactory(surname="Иванов")
    first = grammar.current("en", key="test")
    assert grammar.current("en", key="test") is first  # cached while the staff stay
    StaffFactory(surname="Лебедев")
    second = grammar.current("en", key="test")
    assert "lebedev" in second.surnames and "lebedev" not in first.surnames


def test_the_engine_follows_the_settings(settings):
    settings.KRAI_VOICE_ENGINE = ""
    assert engines.get_engine() is None and not engines.enabled()
    settings.KRAI_VOICE_ENGINE = "pocketsphinx"
    assert isinstance(engines.get_engine(), engines.PocketSphinxEngine)
    settings.KRAI_VOICE_ENGINE = "sphinx9"
    with pytest.raises(ImproperlyConfigured):
        engines.get_engine()


@pytest.mark.parametrize("name", ["vosk", "whispercpp"])
def test_an_optional_engine_without_its_model_says_what_is_missing(settings, name):
    settings.KRAI_VOICE_ENGINE, settings.KRAI_VOICE_MODEL = name, "/nonexistent/model"
    with pytest.raises(engines.EngineUnavailable):
        engines.get_engine()


@needs_espeak
@pytest.mark.django_db
def test_decoding_takes_a_fraction_of_the_audio_length():
    """The measurement behind decoding in the request: CPU time per second of speech (printed, and bounded)."""
    import time

    StaffFactory(surname="Иванов")
    engine = engines.PocketSphinxEngine()
    prepared = audio.prepare(speak("assign ivanov to prepare a note on the roads by friday"))
    engine.recognise(prepared)  # the decoder is built on the first use
    started = time.thread_time()
    engine.recognise(prepared)
    per_second = (time.thread_time() - started) / prepared.seconds
    print(f"pocketsphinx: {per_second:.3f} s of CPU per second of speech")
    # alone about 0.08-0.1; after other tests in the same process it was seen at 1.2 (not understood yet): the bound
    # catches a decoder gone wild (a loose grammar, a wide beam: tens of seconds) rather than measuring precisely
    assert per_second < 2
