"""Every area keeps its own catalogue, but Django merges them at run time: for a msgid found in several, the app
listed first in INSTALLED_APPS wins. So an area's own translation of "Reports" or "closed" can be silently replaced
by another area's ("Сообщения" of problems on a project's tab). This test reads each catalogue and asks Django what
it really shows for each entry; an area fixes a clash with a context (``pgettext``, ``{% translate … context … %}``).

The clashes that were there when the check came are counted per catalogue and may only go down (a ratchet);
a catalogue not listed must have none.
"""

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

PACKAGE = Path(__file__).resolve().parents[2]

#: clashes found on 2026-12-05, to be brought to 0 area by area
KNOWN = {
    "accounts": 10, "monitoring/indicators": 11, "monitoring/lawsuits": 11, "monitoring/rankings": 9,
    "monitoring/staffing": 16, "opendata": 15, "orders": 7, "org/addresses": 2, "participation": 7, "problems": 3,
}


def _clashes(path: Path) -> list[str]:
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.msgstr or entry.msgid_plural:
            continue
        shown = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
        if shown != entry.msgstr:
            found.append(f"{entry.msgid!r}: {entry.msgstr!r} in the catalogue, {shown!r} shown")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("**/locale/ru/LC_MESSAGES/django.po")),
                         ids=lambda p: str(p.parent.parent.parent.parent.relative_to(PACKAGE)) or "krai")
def test_what_a_catalogue_says_is_what_is_shown(path):
    area = str(path.parent.parent.parent.parent.relative_to(PACKAGE))
    with translation.override("ru"):
        clashes = _clashes(path)
    allowed = KNOWN.get(area, 0)
    assert len(clashes) <= allowed, (f"{area}: {len(clashes)} entries are shown with another area's translation "
                                     f"(at most {allowed} allowed) — give them a context:\n" + "\n".join(clashes))
