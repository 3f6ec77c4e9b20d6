"""The draft's text as a structure: articles, their numbered parts, the parts' paragraphs (points).

The usual Russian layout and an English one are read alike::

    Преамбула — любой текст до первой статьи.            key "0"      kind preamble

    Статья 1. Предмет регулирования                       key "1"      kind article (heading after the number)
    Вводный текст статьи (необязателен).                  (the article's own text)
    1. Текст части.                                       key "1.1"    kind part
    1) текст пункта;                                      key "1.1.1"  kind paragraph
    а) текст подпункта;                                   key "1.1.1.а" (a letter after a numbered point nests
                                                          under it; a letter with no numbered point before it
                                                          in the part is a point itself: "1.1.а")

A point directly in an article with no parts ("Статья 2. Термины … 1) …") gets the key "2.1". Keys come from
the numbers as written, so a provision keeps its key in every version while its number stays; that is what
comments and amendments are anchored to.

**A text without any article** (a concept's proposal, typically) is split on blank lines into paragraphs keyed
"p1", "p2", … — the smallest structure that still lets people comment on a passage; once the editor writes
articles, the anchors become article numbers.

**Layout is normalised**, so ``render`` round-trips: ``parse(render(items)) == items`` for every parse result,
and ``render(parse(text)) == text`` for a text already in the canonical layout (``normalise`` + every provision
on its own line, one blank line before each article, none between parts). Normalising means: line ends unified,
runs of spaces and tabs inside a line made one space, indentation and trailing spaces dropped, several blank
lines made one, blank lines at a provision's end dropped (they separate, they are not content).

Pure functions; no database. Errors are ``ValidationError`` on the field ``text`` naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: the longest text accepted (characters); a whole code of law is rarely longer
MAX_TEXT = 200_000
#: the most provisions one text may have (a guard for the database and the page)
MAX_PROVISIONS = 5_000

PREAMBLE, ARTICLE, PART, PARAGRAPH = "preamble", "article", "part", "paragraph"

_ARTICLE = re.compile(r"^(Статья|Article)\s+(\d{1,5})(?:\s*\.)?(?:\s+(.*))?$", re.IGNORECASE)
# a dotted article number (Статья 12.1) is a common amendment practice, but it would collide with part keys
_ARTICLE_DOTTED = re.compile(r"^(Статья|Article)\s+\d+\.\d+", re.IGNORECASE)
_PART = re.compile(r"^(\d{1,4})\.\s+(.*)$")
_POINT = re.compile(r"^(\d{1,4})\)\s+(.*)$")
_LETTER = re.compile(r"^([а-яёa-z])\)\s+(.*)$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
KEY_RE = re.compile(r"^(0|p\d{1,5}|\d{1,5}(\.(\d{1,4}|[а-яёa-z])){0,3})$")


@dataclass
class Item:
    """One provision as parsed: ``label`` is the marker as written ("Статья 1.", "2.", "3)", "а)")."""

    key: str
    kind: str
    label: str = ""
    heading: str = ""
    text: str = ""
    line: int = field(default=0, compare=False)
    children: list[Item] = field(default_factory=list, repr=False, compare=False)

    @property
    def depth(self) -> int:
        if self.kind in (PREAMBLE, ARTICLE) or self.key.startswith("p"):
            return 0
        return self.key.count(".")

    def as_tuple(self) -> tuple[str, str, str, str, str]:
        return (self.key, self.kind, self.label, self.heading, self.text)


def _error(message: str) -> ValidationError:
    return ValidationError({"text": [message]}, code="invalid")


def normalise(text: str) -> str:
    """The text with line ends unified, spaces collapsed, trailing spaces and repeated blank lines removed."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _append(item: Item, line: str) -> None:
    item.text = f"{item.text}\n{line}" if item.text or line == "" else line


def _finish(items: list[Item]) -> list[Item]:
    for item in items:
        item.text = item.text.strip("\n")
    return items


def _blocks(lines: list[str]) -> list[Item]:
    """A text without articles: paragraphs split on blank lines ("p1", "p2", …)."""
    items: list[Item] = []
    current: Item | None = None
    for number, line in enumerate(lines, start=1):
        if not line:
            current = None
            continue
        if current is None:
            current = Item(key=f"p{len(items) + 1}", kind=PARAGRAPH, line=number)
            items.append(current)
        _append(current, line)
    return items


def _heading(article: Item, rest: str, number: int) -> None:
    if len(rest) > 500:
        raise _error(_("Line %(line)d: the heading of an article is longer than 500 characters.")
                     % {"line": number})
    article.heading = rest


class _Parser:
    """Reads the lines of a text with articles, one state machine: the article, part and point being read."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.seen: dict[str, int] = {}
        self.article: Item | None = None
        self.part: Item | None = None
        self.point: Item | None = None
        self.current: Item | None = None

    def add(self, item: Item, what: str) -> Item:
        if item.key in self.seen:
            raise _error(_("%(what)s appears twice (lines %(first)d and %(line)d).")
                         % {"what": what, "first": self.seen[item.key], "line": item.line})
        if len(self.items) >= MAX_PROVISIONS:
            raise _error(_("The text has more than %(count)d provisions.") % {"count": MAX_PROVISIONS})
        self.seen[item.key] = item.line
        self.items.append(item)
        self.current = item
        return item

    def line(self, number: int, line: str) -> None:
        if _ARTICLE_DOTTED.match(line):
            raise _error(_("Line %(line)d: number articles with whole numbers (1, 2, 3…); renumber the text.")
                         % {"line": number})
        if match := _ARTICLE.match(line):
            word, num, rest = match.group(1), match.group(2).lstrip("0") or "0", (match.group(3) or "").strip()
            item = Item(key=num, kind=ARTICLE, label=f"{word} {match.group(2)}.", line=number)
            _heading(item, rest, number)
            self.article, self.part, self.point = self.add(item, describe(ARTICLE, num)), None, None
            return
        if self.article is None:  # before the first article: the preamble
            if self.current is None:
                self.add(Item(key="0", kind=PREAMBLE, line=number), describe(PREAMBLE, "0"))
            _append(self.current, line)
            return
        if line and (match := _PART.match(line)):
            num = match.group(1).lstrip("0") or "0"
            item = Item(key=f"{self.article.key}.{num}", kind=PART, label=f"{match.group(1)}.",
                        text=match.group(2), line=number)
            self.part, self.point = self.add(item, describe(PART, item.key)), None
            return
        if line and (match := _POINT.match(line)):
            parent = self.part or self.article
            num = match.group(1).lstrip("0") or "0"
            item = Item(key=f"{parent.key}.{num}", kind=PARAGRAPH, label=f"{match.group(1)})",
                        text=match.group(2), line=number)
            self.point = self.add(item, describe(PARAGRAPH, item.key))
            return
        if line and (match := _LETTER.match(line)):
            parent = self.point or self.part or self.article
            letter = match.group(1).lower()
            item = Item(key=f"{parent.key}.{letter}", kind=PARAGRAPH, label=f"{match.group(1)})",
                        text=match.group(2), line=number)
            self.add(item, describe(PARAGRAPH, item.key))
            return
        _append(self.current, line)


def parse(text: str) -> list[Item]:
    """The provisions of ``text`` in order (see the module's doc), or ``ValidationError`` on ``text``."""
    if len(text) > MAX_TEXT:
        raise _error(_("The text is too long: at most %(max)d characters, this one has %(count)d.")
                     % {"max": MAX_TEXT, "count": len(text)})
    clean = normalise(text)
    if not clean:
        raise _error(_("The text of the draft is empty."))
    lines = clean.split("\n")
    if not any(_ARTICLE.match(line) or _ARTICLE_DOTTED.match(line) for line in lines):
        return _finish(_blocks(lines))
    parser = _Parser()
    for number, line in enumerate(lines, start=1):
        parser.line(number, line)
    return _finish(parser.items)


def render(items: list[Item]) -> str:
    """The text of ``items`` in the canonical layout (``parse(render(items)) == items``)."""
    out: list[str] = []
    for item in items:
        if item.kind == ARTICLE:
            if out:
                out.append("")
            out.append(f"{item.label} {item.heading}".rstrip())
            if item.text:
                out.append(item.text)
        elif item.kind == PREAMBLE:
            out.append(item.text)
        elif item.key.startswith("p"):
            if out:
                out.append("")
            out.append(item.text)
        else:
            out.append(f"{item.label} {item.text}".rstrip())
    return "\n".join(out)


def valid_key(key: str) -> bool:
    return bool(KEY_RE.match(key or ""))


def tree(items: list[Item]) -> list[Item]:
    """The items nested: articles hold parts, parts hold points (by key prefix); returns the top level."""
    by_key: dict[str, Item] = {}
    top: list[Item] = []
    for item in items:
        item.children = []
        by_key[item.key] = item
        parent_key = item.key.rpartition(".")[0] if item.kind == PARAGRAPH or item.kind == PART else ""
        parent = by_key.get(parent_key) if parent_key else None
        (parent.children if parent is not None else top).append(item)
    return top


def describe(kind: str, key: str) -> str:
    """A provision's name in a sentence: "Article 3", "Part 3.2", "Paragraph 3.2.1", "The preamble"."""
    if kind == PREAMBLE:
        return _("The preamble")
    if kind == ARTICLE:
        return _("Article %(key)s") % {"key": key}
    if kind == PART:
        return _("Part %(key)s") % {"key": key}
    return _("Paragraph %(key)s") % {"key": key}
