"""A readable difference between two versions of a draft: provision by provision (matched by key — added,
removed, changed, unchanged), and inside a changed provision a word-level difference rendered as safe HTML
with ``<ins>``/``<del>``. Every piece of text is escaped; only the two tags are ours.

Pure functions over anything with ``key``, ``kind``, ``label``, ``heading``, ``text`` (``Provision`` rows or
``provisions.Item``). Order: the new version's order, each removed provision placed after the one that
preceded it in the old version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"

# words with the spaces after them, so the rendered diff keeps the original spacing and line breaks
_TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass
class Entry:
    """One provision in the comparison. ``html`` is the word diff of the changed one (or the escaped text)."""

    key: str
    kind: str
    status: str
    label: str
    old: str
    new: str
    html: SafeString

    @property
    def depth(self) -> int:
        if self.kind in ("preamble", "article") or self.key.startswith("p"):
            return 0
        return self.key.count(".")


def _whole(provision: Any) -> str:
    """The provision's words as compared: the heading (articles) and the text."""
    heading = getattr(provision, "heading", "") or ""
    text = getattr(provision, "text", "") or ""
    return f"{heading}\n{text}".strip("\n") if heading else text


def words(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> SafeString:
    """``old`` → ``new`` as HTML: removed words in ``<del>``, added ones in ``<ins>``, everything escaped."""
    a, b = words(old), words(new)
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped


def compare(old: Iterable[Any], new: Iterable[Any]) -> list[Entry]:
    """The entries of ``old`` → ``new`` matched by key."""
    old_list: Sequence[Any] = list(old)
    new_list: Sequence[Any] = list(new)
    old_by_key = {p.key: p for p in old_list}
    new_keys = {p.key for p in new_list}
    entries: list[Entry] = []
    placed: dict[str, int] = {}
    for provision in new_list:
        before = old_by_key.get(provision.key)
        text = _whole(provision)
        if before is None:
            entry = Entry(provision.key, provision.kind, ADDED, provision.label, "", text,
                          mark_safe(f"<ins>{escape(text)}</ins>"))  # noqa: S308 — escaped
        else:
            was = _whole(before)
            same = was == text and before.label == provision.label
            entry = Entry(provision.key, provision.kind, UNCHANGED if same else CHANGED, provision.label, was, text,
                          escape(text) if same else word_diff(was, text))
        placed[provision.key] = len(entries)
        entries.append(entry)
    # removed provisions go after their predecessor in the old version (or first); walk the old order
    previous: str | None = None
    inserts: list[tuple[int, Entry]] = []
    for provision in old_list:
        if provision.key not in new_keys:
            text = _whole(provision)
            at = placed.get(previous, -1) if previous is not None else -1
            entry = Entry(provision.key, provision.kind, REMOVED, provision.label, text, "",
                          mark_safe(f"<del>{escape(text)}</del>"))  # noqa: S308 — escaped
            inserts.append((at, entry))
        previous = provision.key if provision.key in new_keys else previous
    result: list[Entry] = []
    by_slot: dict[int, list[Entry]] = {}
    for at, entry in inserts:
        by_slot.setdefault(at, []).append(entry)
    result.extend(by_slot.get(-1, []))
    for index, entry in enumerate(entries):
        result.append(entry)
        result.extend(by_slot.get(index, []))
    return result


def summary(entries: Iterable[Entry]) -> dict[str, int]:
    """How many provisions were added, removed, changed, left unchanged."""
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0, UNCHANGED: 0}
    for entry in entries:
        counts[entry.status] += 1
    return counts
