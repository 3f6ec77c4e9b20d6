"""The phrase tables: every row read by ``parse`` through the whole path a user meets (the governor dictates; the
staff he may give orders to come from the database; working days from the work calendar), scored field by field.

The thresholds are what the reader must keep; with ``-v`` every row that fails is listed (field: expected ≠ read).
"""

import pytest

from krai.planner.tests import voice_table
from krai.planner.voice.dates import default_calendar
from krai.planner.voice.parse import parse

pytestmark = pytest.mark.django_db

#: the least share of rows each field must be read right in, and the least share of rows right in every field
FIELD_FLOOR = 0.95
ROW_FLOOR = 0.93
MIN_ROWS = 110


def _report(request, capsys, lines: list[str]) -> None:
    """With ``-v``: the lines on the terminal as the test runs (past the output capture)."""
    if request.config.getoption("verbose") > 0:
        with capsys.disabled():
            print("\n" + "\n".join(lines))


@pytest.mark.parametrize("language", ["ru", "en"])
def test_phrase_table_is_read_right(request, capsys, language):
    governor, _people = voice_table.build_staff()
    calendar = default_calendar()
    rows = voice_table.load_phrases(language)
    assert len(rows) >= MIN_ROWS
    right = dict.fromkeys(voice_table.FIELDS, 0)
    whole, failures = 0, []
    for row in rows:
        draft = parse(row.phrase, user=governor, language=language, today=voice_table.TODAY)
        marks = voice_table.score(row, draft, speaker_id=governor.pk, calendar=calendar)
        for name, ok in marks.items():
            right[name] += ok
        whole += all(marks.values())
        if not all(marks.values()):
            failures.append(voice_table.describe(row, draft, marks))
    shares = {name: count / len(rows) for name, count in right.items()}
    _report(request, capsys, [f"{language}: {len(failures)} of {len(rows)} rows wrong; right per field: "
                              + ", ".join(f"{name} {share:.1%}" for name, share in shares.items()), *failures])
    assert all(share >= FIELD_FLOOR for share in shares.values()), (shares, failures)
    assert whole / len(rows) >= ROW_FLOOR, (whole, failures)


def test_the_tables_cover_what_the_reader_must_tell_apart():
    """The table is no easy set: orders and tasks, every priority, ambiguous and unknown people, several executors
    in one phrase, no date."""
    for language in ("ru", "en"):
        rows = voice_table.load_phrases(language)
        assert {row.intent for row in rows} == {"order", "task"}
        assert {row.priority for row in rows} == {"normal", "high", "urgent"}
        assert sum("executor" in row.missing for row in rows) >= 6
        assert sum("deadline" in row.missing for row in rows) >= 8
        assert sum(row.deadline.startswith("wd+") for row in rows) >= 4
        assert sum(row.deadline[:4] == "2027" for row in rows) >= 6  # dates across the new year
        several = [row for row in rows if ";" in row.executor]
        assert len(several) >= 15  # "поручить Иванову и Петровой …", "assign Ivanov, Petrov and Sidorova to …"
        assert sum(len(row.executor.split(";")) >= 3 for row in several) >= 4
        assert sum("" in row.executor.split(";") for row in several) >= 3  # one of them asked for, the others kept
