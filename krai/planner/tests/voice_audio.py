"""Real speech for the voice tests: phrases synthesised by espeak-ng into WAV files under ``tests/audio/`` (made at
test time, never committed), and the staff the phrases name."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from krai.org.models import Position
from krai.org.tests.factories import OrganisationFactory, StaffFactory

AUDIO = Path(__file__).parent / "audio"
SURNAMES = ["Иванов", "Петров", "Смирнова", "Кузнецов", "Соколова", "Попов", "Лебедев", "Новикова", "Морозов",
            "Волкова"]

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def speak(text: str, *, rate: int = 22050, stereo: bool = False, speed: int = 140) -> bytes:
    """``text`` said by espeak-ng (US English) as a WAV file, cached under ``tests/audio`` by its words."""
    AUDIO.mkdir(exist_ok=True)
    (AUDIO / ".gitignore").write_text("*\n")
    name = hashlib.sha256(f"{text}|{speed}".encode()).hexdigest()[:16]
    path = AUDIO / f"{name}.wav"
    if not path.exists():
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", str(path), text], check=True,
                       timeout=60)
    data = path.read_bytes()
    if rate != 22050 or stereo:
        data = convert(data, rate=rate, stereo=stereo)
    return data


def convert(data: bytes, *, rate: int, stereo: bool) -> bytes:
    """A mono WAV at another rate, or as two equal channels: how phones and browsers record."""
    import io
    import wave

    import numpy as np

    with wave.open(io.BytesIO(data)) as reader:
        source_rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float64)
    count = int(len(samples) * rate / source_rate)
    out = np.interp(np.linspace(0, len(samples) - 1, count), np.arange(len(samples)), samples).astype("<i2")
    if stereo:
        out = np.repeat(out, 2)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(2 if stereo else 1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(out.tobytes())
    return buffer.getvalue()


def staff(organisation=None) -> dict[str, object]:
    """The staff the phrases name, each holding a post in ``organisation`` (one is made if none is given)."""
    organisation = organisation or OrganisationFactory(name="Министерство дорог")
    people = {}
    for surname in SURNAMES:
        person = StaffFactory(surname=surname)
        Position.objects.create(organisation=organisation, title="Специалист", holder=person)
        people[surname] = person
    return people
