"""Russian is the default language: every string the code marks for translation has a Russian text.

The check runs ``makemessages`` over a copy of the sources (so the real catalogues are untouched) and
reads the result: a string added without its translation, or left fuzzy, fails the suite.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_every_marked_string_has_a_russian_translation(tmp_path):
    copy = tmp_path / "krai"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "tests"))
    result = subprocess.run([sys.executable, "-m", "krai.cli", "makemessages", "-l", "ru", "--no-obsolete",
                             "-v", "0"], cwd=copy, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    catalogues = sorted(copy.glob("**/locale/ru/LC_MESSAGES/django.po"))
    assert catalogues, "no Russian catalogue found"
    missing = {}
    for path in catalogues:
        catalogue = polib.pofile(str(path))
        gaps = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
        if gaps:
            more = [f"… and {len(gaps) - 15} more"] if len(gaps) > 15 else []
            missing[str(path.relative_to(copy))] = gaps[:15] + more
    assert not missing, f"strings without a Russian translation: {missing}"
