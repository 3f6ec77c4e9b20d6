"""Speech recognition on the server, offline: no audio leaves the region's network.

The engine is a setting (``KRAI_VOICE_ENGINE``), with its model (``KRAI_VOICE_MODEL``) and the model's language
(``KRAI_VOICE_LANGUAGE``); ``""`` turns server recognition off (the page then offers typing only):

- ``pocketsphinx`` (the default): CMU PocketSphinx, a dependency whose wheel ships a US English model; the model
  may be another PocketSphinx acoustic model directory (its ``*.dict`` beside it or one level up). It listens with
  the grammar built from the organisation (``grammar``), which is what makes a small model read orders well.
- ``vosk``: Kaldi models the region downloads (https://alphacephei.com/vosk/models, e.g.
  ``vosk-model-small-ru-0.22``); ``pip install vosk``; ``KRAI_VOICE_MODEL`` is the unpacked model's directory.
  It is told the grammar's words (a small model honours them; a big one ignores them).
- ``whispercpp``: the ``whisper-cli`` program of whisper.cpp (built by the region, on ``PATH`` or named by
  ``KRAI_VOICE_WHISPER_BINARY`` in the environment) with a ggml model file as ``KRAI_VOICE_MODEL`` (e.g.
  ``ggml-small.bin``); the staff's surnames are given as its prompt.

Vosk and whisper.cpp are imported or run only when configured. Each engine is made once per process and keeps its
decoder between requests; a recognition is bounded by the length cap of the audio (``audio.max_seconds``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from krai.planner.voice import audio as audio_module
from krai.planner.voice import grammar as grammars
from krai.planner.voice.audio import Audio

ENGINES = ("pocketsphinx", "vosk", "whispercpp")


@dataclass(frozen=True)
class Recognition:
    """What was heard: the text (lower case, as the engine writes it), by which engine in which language, how long
    the audio lasted and how long the decoding took (seconds)."""

    text: str
    engine: str
    language: str
    audio_seconds: float
    decode_seconds: float


class EngineUnavailable(RuntimeError):
    """The configured engine cannot run here (not installed, no model): an administrator's matter."""


class Engine(ABC):
    """A speech recogniser: 16 kHz mono 16-bit samples in, text out."""

    name: str = ""

    def __init__(self, *, model: str = "", language: str = "") -> None:
        self.model = model
        self._language = language

    @property
    def language(self) -> str:
        """The model's language (``en``, ``ru``): the grammar's and the phrase reader's."""
        return (self._language or "en")[:2]

    def recognise(self, audio: Audio) -> Recognition:
        started = time.perf_counter()
        text = " ".join(self.decode(audio.pcm).split())
        return Recognition(text=text, engine=self.name, language=self.language, audio_seconds=audio.seconds,
                           decode_seconds=time.perf_counter() - started)

    @abstractmethod
    def decode(self, pcm: bytes) -> str:
        """The words heard in ``pcm`` (empty if none)."""


class PocketSphinxEngine(Engine):
    """PocketSphinx with the organisation's grammar; the decoder is built once per grammar and reused (decoding is
    serialised by a lock: a decoder is not thread-safe)."""

    name = "pocketsphinx"

    def __init__(self, *, model: str = "", language: str = "") -> None:
        super().__init__(model=model, language=language)
        try:
            import pocketsphinx
        except ImportError as exc:  # pragma: no cover - a dependency
            raise EngineUnavailable("pocketsphinx is not installed") from exc
        self._pocketsphinx = pocketsphinx
        if model:
            self.hmm = Path(model)
            found = sorted([*self.hmm.glob("*.dict"), *self.hmm.glob("*.dic"), *self.hmm.parent.glob("*.dict"),
                            *self.hmm.parent.glob("*.dic")])
            if not self.hmm.is_dir() or not found:
                raise EngineUnavailable(f"no PocketSphinx acoustic model with a dictionary at {model}")
            self.dictionary = found[0]
        else:
            root = Path(pocketsphinx.get_model_path()) / "en-us"
            self.hmm, self.dictionary = root / "en-us", root / "cmudict-en-us.dict"
            self._language = language or "en"
        self._lock = threading.Lock()
        self._decoder: Any = None
        self._signature = ""

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The words of the model's dictionary (variants such as ``read(2)`` under their word)."""
        words = set()
        with open(self.dictionary, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                word = line.split(maxsplit=1)[0] if line.strip() else ""
                if word:
                    words.add(word.split("(")[0])
        return frozenset(words)

    def grammar(self) -> grammars.Grammar:
        return grammars.current(self.language, known=self.vocabulary.__contains__, key=f"ps:{self.dictionary}")

    def _decoder_for(self, grammar: grammars.Grammar) -> Any:
        """The decoder listening with ``grammar`` (made when the grammar changes: about 0.3 s)."""
        if self._decoder is None or self._signature != grammar.signature:
            decoder = self._pocketsphinx.Decoder(hmm=str(self.hmm), dict=str(self.dictionary), lm=None,
                                                 loglevel="FATAL")
            added = sorted(grammar.pronunciations.items())
            for index, (word, phones) in enumerate(added):
                decoder.add_word(word, phones, index == len(added) - 1)
            decoder.add_jsgf_string("krai", grammar.jsgf.encode())
            decoder.activate_search("krai")
            self._decoder, self._signature = decoder, grammar.signature
        return self._decoder

    def decode(self, pcm: bytes) -> str:
        grammar = self.grammar()
        with self._lock:
            decoder = self._decoder_for(grammar)
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            hypothesis = decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""


class VoskEngine(Engine):
    """Vosk (Kaldi) with a model the region installs; the model is loaded once (it may take seconds)."""

    name = "vosk"

    def __init__(self, *, model: str = "", language: str = "") -> None:
        super().__init__(model=model, language=language)
        try:
            import vosk
        except ImportError as exc:
            raise EngineUnavailable("vosk is not installed: pip install vosk") from exc
        if not model or not Path(model).is_dir():
            raise EngineUnavailable("KRAI_VOICE_MODEL must name an unpacked Vosk model directory")
        vosk.SetLogLevel(-1)
        self._vosk = vosk
        self._model = vosk.Model(model)

    def decode(self, pcm: bytes) -> str:
        grammar = grammars.current(self.language, key="vosk")
        words = [*sorted(grammar.words), "[unk]"]
        recogniser = self._vosk.KaldiRecognizer(self._model, audio_module.RATE, json.dumps(words))
        recogniser.AcceptWaveform(pcm)
        return json.loads(recogniser.FinalResult()).get("text", "").replace("[unk]", " ")


class WhisperCppEngine(Engine):
    """whisper.cpp's command-line program over a temporary WAV file, bounded by a timeout."""

    name = "whispercpp"

    def __init__(self, *, model: str = "", language: str = "") -> None:
        super().__init__(model=model, language=language)
        wanted = os.environ.get("KRAI_VOICE_WHISPER_BINARY", "")
        self.binary = shutil.which(wanted) if wanted else (shutil.which("whisper-cli") or shutil.which("whisper-cpp"))
        if not self.binary:
            raise EngineUnavailable("whisper.cpp's whisper-cli is not on PATH (or KRAI_VOICE_WHISPER_BINARY)")
        if not model or not Path(model).is_file():
            raise EngineUnavailable("KRAI_VOICE_MODEL must name a whisper.cpp ggml model file")

    def decode(self, pcm: bytes) -> str:
        grammar = grammars.current(self.language, key="whisper")
        with tempfile.NamedTemporaryFile(suffix=".wav") as file:
            file.write(audio_module.to_wav(pcm))
            file.flush()
            command = [self.binary, "-m", self.model, "-f", file.name, "-l", self._language or "auto", "-nt", "-np"]
            if grammar.surnames:
                command += ["--prompt", ", ".join(grammar.surnames[:200])]
            try:
                done = subprocess.run(command,  # noqa: S603 - the configured program, no shell capture_output=True, text=True, check=True,
                                      timeout=audio_module.max_seconds() * 4 + 10)
            except (OSError, subprocess.SubprocessError) as exc:
                raise EngineUnavailable(f"whisper.cpp failed: {exc}") from exc
        return done.stdout.strip().casefold()


_CLASSES: dict[str, type[Engine]] = {"pocketsphinx": PocketSphinxEngine, "vosk": VoskEngine,
                                     "whispercpp": WhisperCppEngine}
_ENGINES: dict[tuple[str, str, str], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def configured() -> tuple[str, str, str]:
    return (settings.KRAI_VOICE_ENGINE or "", settings.KRAI_VOICE_MODEL or "", settings.KRAI_VOICE_LANGUAGE or "")


def enabled() -> bool:
    """Whether server recognition is on (an engine is named)."""
    return bool(configured()[0])


def get_engine() -> Engine | None:
    """The configured engine, made once per process; None when server recognition is off. An unknown name is a
    configuration error; an engine that cannot run raises EngineUnavailable."""
    name, model, language = configured()
    if not name:
        return None
    if name not in _CLASSES:
        raise ImproperlyConfigured(f"KRAI_VOICE_ENGINE must be one of {', '.join(ENGINES)} or empty, not {name!r}")
    with _ENGINES_LOCK:
        engine = _ENGINES.get((name, model, language))
        if engine is None:
            engine = _ENGINES[(name, model, language)] = _CLASSES[name](model=model, language=language)
        return engine


def recognise(data: bytes) -> Recognition:
    """A WAV upload heard by the configured engine. ValidationError for bad audio (``audio.prepare``);
    EngineUnavailable when recognition is off or cannot run."""
    prepared = audio_module.prepare(data)
    engine = get_engine()
    if engine is None:
        raise EngineUnavailable("server recognition is off (KRAI_VOICE_ENGINE is empty)")
    return engine.recognise(prepared)
