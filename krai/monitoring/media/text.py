"""Words of an article and their lemmas, and a topic's terms matched on them.

A Russian word is reduced to its dictionary forms by pymorphy3 (one analyser per process, loaded on first use,
parses memoised): «губернатора», «губернатором» both give «губернатор». A word keeps *every* normal form
pymorphy3 reads in it (an inflected form may belong to two words), and a term's word matches an article's
word when they share one — so no reading is lost to a wrong first guess. A term of several words matches where
its words' lemmas follow one another in the article. (krai.planner.voice loads the analyser the same way; the
import-linter layers keep monitoring from importing the planner, so this module holds its own.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from krai.core.morphology import analyzer

WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")


def fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


def words(text: str) -> list[str]:
    """The words of ``text``, folded (lower case, ё as е)."""
    return [fold(word) for word in WORD.findall(text or "")]




@lru_cache(maxsize=200_000)
def lemmas_of(word: str) -> frozenset[str]:
    """Every normal form of a folded word (itself for a word that is not Russian or a number)."""
    if not _CYRILLIC.search(word):
        return frozenset({word})
    return frozenset(fold(parse.normal_form) for parse in analyzer().parse(word)) | {word}


def lemma_sequence(text: str) -> list[frozenset[str]]:
    return [lemmas_of(word) for word in words(text)]


class TermMatcher:
    """The terms of many topics compiled once, then matched against article after article.

    ``terms`` maps a key (a topic's id) to its terms as written; ``match`` answers which keys are found in a
    text and by which of their terms.
    """

    def __init__(self, terms: dict[Any, Iterable[str]]) -> None:
        #: first lemma of a term → [(key, term as written, lemma sets of the term's words)]
        self._by_first: dict[str, list[tuple[Any, str, list[frozenset[str]]]]] = {}
        for key, written in terms.items():
            for term in written:
                sequence = lemma_sequence(term)
                if not sequence:
                    continue
                for first in sequence[0]:
                    self._by_first.setdefault(first, []).append((key, term, sequence))

    def match(self, text: str) -> dict[Any, list[str]]:
        found: dict[Any, list[str]] = {}
        sequence = lemma_sequence(text)
        for at, here in enumerate(sequence):
            seen: set[tuple[Any, str]] = set()
            for lemma in here:
                for key, term, wanted in self._by_first.get(lemma, ()):
                    if (key, term) in seen or at + len(wanted) > len(sequence):
                        continue
                    if all(wanted[i] & sequence[at + i] for i in range(len(wanted))):
                        seen.add((key, term))
                        if term not in found.setdefault(key, []):
                            found[key].append(term)
        return found
