"""Dictated audio made ready for an engine: a WAV file of 16-bit PCM (mono or stereo, any sampling rate) checked and
turned into 16 kHz mono samples, the form every engine here takes.

Refused with a clear message, before any decoding: what is not a WAV file of 16-bit PCM, a file bigger than the cap
(a 48 kHz stereo recording of the longest allowed length), a recording longer than ``KRAI_VOICE_MAX_SECONDS``, and
one with no samples. The length cap is what bounds the time a recognition holds a web worker.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RATE = 16_000  # what the engines take: 16 kHz, 16-bit, mono
HEADER_ALLOWANCE = 4096  # room for the WAV header and its extra chunks
LARGEST_RATE = 48_000


@dataclass(frozen=True)
class Audio:
    """16 kHz mono 16-bit little-endian samples, and how long they last."""

    pcm: bytes
    seconds: float


def max_seconds() -> int:
    return int(settings.KRAI_VOICE_MAX_SECONDS)


def max_bytes() -> int:
    """The largest upload taken: the longest allowed recording at 48 kHz stereo, 16-bit, with its header."""
    return max_seconds() * LARGEST_RATE * 2 * 2 + HEADER_ALLOWANCE


def prepare(data: bytes) -> Audio:
    """``data`` (a whole WAV file) as 16 kHz mono; ValidationError ``{"audio": …}`` with the reason otherwise."""
    if len(data) > max_bytes():
        raise ValidationError({"audio": _("The recording is too large: at most %(seconds)s seconds are taken.")
                               % {"seconds": max_seconds()}}, code="too_large")
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValidationError({"audio": _("This is not a WAV recording: send 16-bit PCM WAV audio.")},
                              code="not_wav")
    try:
        with wave.open(io.BytesIO(data)) as reader:
            channels, width, rate, frames = (reader.getnchannels(), reader.getsampwidth(), reader.getframerate(),
                                             reader.getnframes())
            if width != 2 or channels not in (1, 2) or not 4_000 <= rate <= LARGEST_RATE * 4:
                raise ValidationError(
                    {"audio": _("The recording must be 16-bit PCM, mono or stereo.")}, code="format")
            seconds = frames / rate
            if seconds > max_seconds():
                message = _("The recording lasts %(length)d seconds; at most %(seconds)s seconds are taken.")
                raise ValidationError({"audio": message % {"length": round(seconds), "seconds": max_seconds()}},
                                      code="too_long")
            raw = reader.readframes(frames)
    except (wave.Error, EOFError) as exc:  # "unknown format: 3" (float), a cut header and the like
        raise ValidationError({"audio": _("The recording must be 16-bit PCM, mono or stereo.")},
                              code="format") from exc
    samples = np.frombuffer(raw[: len(raw) - len(raw) % (2 * channels)], dtype="<i2")
    if channels == 2:
        samples = samples.reshape(-1, 2).mean(axis=1)
    if samples.size == 0:
        raise ValidationError({"audio": _("The recording is empty.")}, code="empty")
    return Audio(pcm=resample(samples, rate), seconds=samples.size / rate)


def resample(samples: np.ndarray, rate: int) -> bytes:
    """Samples at ``rate`` as 16 kHz 16-bit bytes (linear interpolation; speech needs no better below 8 kHz)."""
    if rate == RATE:
        return samples.astype("<i2").tobytes()
    count = max(1, round(samples.size * RATE / rate))
    positions = np.linspace(0, samples.size - 1, count)
    out = np.interp(positions, np.arange(samples.size), samples.astype(np.float64))
    return np.clip(np.round(out), -32768, 32767).astype("<i2").tobytes()


def to_wav(pcm: bytes, rate: int = RATE) -> bytes:
    """16-bit mono ``pcm`` as a WAV file (for engines that read files, such as whisper.cpp)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm)
    return buffer.getvalue()
