"""Voice orders: how right the phrase reader is on the phrase tables, field by field and per language, and how many
phrases it reads a second with a region's staff — against a naive reader measured in the same run.

    .venv/bin/python bench/bench_voice_phrases.py [--staff 5000] [--repeat 5] [--seed 1] [--verbose]

No database: the staff are the tables' (``krai/planner/tests/data/voice_staff.csv``) among ``--staff`` generated
people (surnames from syllables and the usual endings, many shared, none the same as a table's), indexed with
``StaffIndex.from_rows`` as ``staff_index_for`` indexes the rows of the database; working days come from the official
calendar (what ``krai.core.workcalendar`` answers when the administrators have changed no day). Today is the tables'
Wednesday, 2 December 2026.

Printed:

* the index: building it for ``--staff`` people, first in the process and then per request (names' readings and
  spellings are memoised per process): the Russian part a request always needs, the Latin spellings an English
  phrase adds (the database query that feeds it is not timed here);
* per language and reader, the share of rows right in each field (intent, executor, subject, deadline, priority,
  missing) and in all of them (a row naming several executors is right in ``executor`` only when every one is, in
  the order said, the unknown or ambiguous ones left to ask for), and phrases per second (median of ``--repeat``
  passes after a warm-up);
* the naive reader — the same code with the morphology taken away: for Russian no pymorphy3 and no suffix rules (a
  surname, a weekday, a month or a number word is found only in the form the index or the tables hold it:
  "Иванов", "пятница"), for
  English one transliteration (ICAO) and no close spellings. The naive reader is the floor, not a rival. The
  difference is what morphology and transliteration buy; "speed ratio" is the krai reader's phrases per second
  over the naive one's.

``--verbose`` lists the rows the krai reader gets wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

CONSONANTS = "бвгджзклмнпрстфхцчш"
VOWELS = "аеиоу"
MALE_ENDINGS = ("ов", "ев", "ин", "енко", "ук", "ский", "ых")
FEMALE_ENDINGS = {"ов": "ова", "ев": "ева", "ин": "ина", "енко": "енко", "ук": "ук", "ский": "ская", "ых": "ых"}
MALE_NAMES = [("Иван", "Петрович"), ("Игорь", "Павлович"), ("Сергей", "Николаевич"), ("Алексей", "Игоревич"),
              ("Дмитрий", "Олегович"), ("Андрей", "Викторович"), ("Михаил", "Юрьевич"), ("Павел", "Романович"),
              ("Олег", "Ильич")]
FEMALE_NAMES = [("Анна", "Викторовна"), ("Вера", "Петровна"), ("Елена", "Павловна"), ("Ольга", "Ивановна"),
                ("Мария", "Сергеевна"), ("Татьяна", "Андреевна"), ("Наталья", "Олеговна"), ("Ирина", "Львовна"),
                ("Юлия", "Игоревна")]


def generated_staff(count: int, seed: int, taken: set[str],
                    taken_names: set[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """``count`` people with made-up surnames (about one surname for every two people), none in ``taken``, and given
    names with patronymics none of the tables' people have (the tables name some by those alone)."""
    rng = random.Random(seed)
    male = [pair for pair in MALE_NAMES if pair not in taken_names]
    female = [pair for pair in FEMALE_NAMES if pair not in taken_names]
    stems: list[str] = []
    while len(stems) < max(count // 2, 1):
        stem = (rng.choice(CONSONANTS).upper() + rng.choice(VOWELS) + rng.choice(CONSONANTS) + rng.choice(VOWELS)
                + rng.choice(CONSONANTS))
        if all(stem + ending not in taken and stem + FEMALE_ENDINGS[ending] not in taken
               for ending in MALE_ENDINGS):
            stems.append(stem)
    people = []
    for _ in range(count):
        stem, ending = rng.choice(stems), rng.choice(MALE_ENDINGS)
        if rng.random() < 0.5:
            given, patronymic = rng.choice(male)
            people.append((stem + ending, given, patronymic))
        else:
            given, patronymic = rng.choice(female)
            people.append((stem + FEMALE_ENDINGS[ending], given, patronymic))
    return people


@contextlib.contextmanager
def naive_reader() -> Iterator[None]:
    """The reader without morphology: pymorphy3 answers nothing, English names have one spelling and no fuzz."""
    from krai.planner.voice import dates, latin, parse, people, text

    class Unknown:
        def word_is_known(self, word: str) -> bool:
            return False

    def no_parses(word: str) -> tuple:
        return ()

    def icao_only(word: str) -> frozenset[str]:
        return frozenset({latin.transliterate(word.casefold(), latin.TRANSLIT_ICAO)})

    original_en_surname = people._en_surname

    def exact_only(token, index, fuzzy):
        return original_en_surname(token, index, False)

    saved = [(module, name, getattr(module, name)) for module, name in (
        (text, "parses"), (text, "analyzer"), (dates, "parses"), (people, "parses"), (parse, "parses"),
        (latin, "latin_forms"), (people, "_en_surname"), (people, "SUFFIX_RULES"))]
    text.parses = dates.parses = people.parses = parse.parses = no_parses
    text.analyzer = lambda: Unknown()
    latin.latin_forms, people._en_surname, people.SUFFIX_RULES = icao_only, exact_only, ()
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def evaluate(language: str, index, rows, calendar, repeat: int) -> tuple[dict[str, float], float, list[str]]:
    from krai.planner.tests import voice_table
    from krai.planner.voice.parse import parse

    class Speaker:
        pk = 0
        full_name = "Губернский Виктор Павлович"

    speaker = Speaker()

    def one_pass() -> list:
        return [parse(row.phrase, user=speaker, language=language, today=voice_table.TODAY, staff=index,
                      calendar=calendar) for row in rows]

    drafts = one_pass()  # warm-up: dictionaries loaded, memoised parses filled
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        one_pass()
        timings.append(time.perf_counter() - started)
    right = dict.fromkeys((*voice_table.FIELDS, "all"), 0)
    failures = []
    for row, draft in zip(rows, drafts, strict=True):
        marks = voice_table.score(row, draft, speaker_id=speaker.pk, calendar=calendar)
        for name, ok in marks.items():
            right[name] += ok
        right["all"] += all(marks.values())
        if not all(marks.values()):
            failures.append(voice_table.describe(row, draft, marks))
    shares = {name: count / len(rows) for name, count in right.items()}
    return shares, len(rows) / statistics.median(timings), failures


def build_index(rows: list[tuple[int, str, str, str]], units: dict[int, str]):
    from krai.planner.voice.people import StaffIndex

    return StaffIndex.from_rows(rows, units=units)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000, help="people in the index (the tables' among them)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="list the rows the reader gets wrong")
    args = parser.parse_args()

    import django

    django.setup()
    from krai.planner.tests import voice_table
    from krai.planner.voice.text import analyzer, fold

    table_staff = voice_table.load_staff()
    taken = {row["surname"] for row in table_staff} | {fold(row["surname"]) for row in table_staff}
    taken_names = {(row["given_name"], row["patronymic"]) for row in table_staff}
    extra = generated_staff(max(args.staff - len(table_staff), 0), args.seed, taken, taken_names)
    rows = [(pk, row["surname"], row["given_name"], row["patronymic"]) for pk, row in enumerate(table_staff, 1)]
    rows += [(pk, *person) for pk, person in enumerate(extra, len(rows) + 1)]
    units = {pk: "Отдел" for pk, *_rest in rows}
    calendar = voice_table.official_calendar()

    started = time.perf_counter()
    analyzer()
    print(f"pymorphy3 dictionaries loaded in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    build_index(rows, units).by_latin  # noqa: B018 (the first, with nothing memoised)
    print(f"staff index of {len(rows):,} people, first in the process (Latin spellings included): "
          f"{(time.perf_counter() - started) * 1000:.1f} ms")
    builds, latin = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        index = build_index(rows, units)
        builds.append(time.perf_counter() - started)
        started = time.perf_counter()
        index.by_latin  # noqa: B018 (built on first use)
        latin.append(time.perf_counter() - started)
    print(f"staff index of {len(rows):,} people, next requests: {statistics.median(builds) * 1000:.1f} ms, "
          f"their Latin spellings {statistics.median(latin) * 1000:.1f} ms more (median of {args.repeat})")

    fields = (*voice_table.FIELDS, "all")
    header = f"\n{'language':<9}{'reader':<15}" + "".join(f"{name:>10}" for name in fields) + f"{'phrases/s':>11}"
    print(header)
    summary = []
    for language in ("ru", "en"):
        phrases = voice_table.load_phrases(language)
        krai_shares, krai_rate, failures = evaluate(language, build_index(rows, units), phrases, calendar,
                                                    args.repeat)
        with naive_reader():
            naive_shares, naive_rate, _naive_failures = evaluate(language, build_index(rows, units), phrases,
                                                                 calendar, args.repeat)
        for name, shares, rate in (("krai", krai_shares, krai_rate), ("naive", naive_shares, naive_rate)):
            print(f"{language:<9}{name:<15}" + "".join(f"{shares[field] * 100:>9.1f}%" for field in fields)
                  + f"{rate:>11,.0f}")
        summary.append((language, len(phrases), krai_shares, naive_shares, krai_rate / naive_rate))
        if args.verbose and failures:
            print("\n".join(f"  {line}" for line in failures))
    print()
    for language, count, krai_shares, naive_shares, speed in summary:
        gains = ", ".join(f"{field} {(krai_shares[field] - naive_shares[field]) * 100:+.1f}"
                          for field in fields if krai_shares[field] != naive_shares[field])
        print(f"{language}: {count} phrases; what the morphology buys (points): {gains or 'nothing'}; "
              f"speed ratio krai/naive {speed:.2f}")


if __name__ == "__main__":
    main()
