"""Turning what a person typed into a safe full-text query for each database.

User input never reaches a query language as it is: it is split into words (letters and digits only),
so quotes, brackets and operators (``*``, ``:``, ``!``, ``&``…, and the words OR, AND, NOT, NEAR written in
capitals) are dropped and no syntax error can come back. Words are combined with AND.

* PostgreSQL: ``to_tsquery('russian', 'word:* & word:*')`` — Snowball stemming of each word plus prefix
  matching, so «дороги», «дорогах», «дорог» all find «дорога».
* SQLite FTS5 has no Russian stemmer: each Cyrillic word is cut to a crude stem (a common inflectional
  ending removed, at least three letters kept) and matched as a prefix (``"дорог"*``). That finds the
  usual forms of a word but also longer words that merely start the same («вод» → «водоканал»), and
  misses forms with a changed stem («лёд» / «льда»). It is the embedded mode's approximation.
"""

from __future__ import annotations

import re

MAX_WORDS = 8
MAX_QUERY = 200
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_ENDINGS = sorted("""иями ями ами иях ией ого его ому ему ыми ими ая яя ое ее ые ие ый ий ой ей ом ем ам ям ах ях
ов ев ую юю ия ья ью ию а я ы и у ю е о ь й""".split(), key=len, reverse=True)  # noqa: SIM905
MIN_STEM = 3
_OPERATORS = {"OR", "AND", "NOT", "NEAR"}


def words(text: str) -> list[str]:
    """The words of a query, lower-cased, at most ``MAX_WORDS``, without repeats."""
    seen: list[str] = []
    for word in _WORD.findall(str(text or "")[:MAX_QUERY]):
        if word in _OPERATORS:
            continue  # someone trying query syntax: the word was meant as an operator, not to be found
        word = word.lower()
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def crude_stem(word: str) -> str:
    """A Russian word without its inflectional ending (for prefix matching where no stemmer exists)."""
    if not _CYRILLIC.search(word) or len(word) <= MIN_STEM:
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def fts5_query(text: str) -> str:
    """An FTS5 MATCH expression: each word's stem quoted as a prefix, all required; "" if no words."""
    return " ".join(f'"{crude_stem(word)}"*' for word in words(text))


def tsquery(text: str) -> str:
    """A ``to_tsquery`` expression: each word as a prefix, all required; "" if no words."""
    return " & ".join(f"{word}:*" for word in words(text))
