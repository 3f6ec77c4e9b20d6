"""Words of a dictated phrase: tokens with their place in the text (so what the reader takes out of the subject is cut
from the words as they were written), folded for comparison, with numbers written as words read into values.

Russian word forms come from pymorphy3; one analyser per process, parses memoised (a phrase has a dozen words and the
same words recur from phrase to phrase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from krai.core.morphology import analyzer

TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}"  # ISO date
    r"|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?"  # 25.12, 25.12.2026, 25/12
    r"|\d{1,2}:\d{2}"  # a time of day
    r"|\d+(?:-?[^\W\d_]+)?"  # 25, 25-го, 25th, 3-дневный
    r"|[^\W\d_]+(?:['’\-][^\W\d_]+)*"  # words, with hyphens and apostrophes inside
    r"|[^\w\s]"  # punctuation, one mark a token
)
DIGITS = re.compile(r"(\d+)-?([^\W\d_]*)")

RU_CARDINALS = {
    "ноль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20,
    "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
    "девяносто": 90,
}
RU_ORDINALS = {
    "первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7, "восьмой": 8,
    "девятый": 9, "десятый": 10, "одиннадцатый": 11, "двенадцатый": 12, "тринадцатый": 13, "четырнадцатый": 14,
    "пятнадцатый": 15, "шестнадцатый": 16, "семнадцатый": 17, "восемнадцатый": 18, "девятнадцатый": 19,
    "двадцатый": 20, "тридцатый": 30,
}
EN_CARDINALS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
TENS = {20, 30, 40, 50, 60, 70, 80, 90}


def fold(word: str) -> str:
    """A word as compared: lower case, ё as е, typographic apostrophe as plain."""
    return word.casefold().replace("ё", "е").replace("’", "'")




@lru_cache(maxsize=50_000)
def parses(word: str) -> tuple[Any, ...]:
    """pymorphy3's readings of a folded Russian word, likeliest first (its guesser answers for unknown words)."""
    return tuple(analyzer().parse(word))


@dataclass
class Token:
    """A word, number or mark of the phrase. ``num`` is its value when it is a number (digits or words, several
    words folded into the first token, ``span`` telling how many); ``ordinal`` when it was said as one."""

    text: str
    norm: str
    start: int
    end: int
    num: int | None = None
    ordinal: bool = False
    suffix: str = ""  # what follows the digits: "го" in "25-го", "дневный" in "3-дневный"
    span: int = 1

    @property
    def is_word(self) -> bool:
        return self.norm[:1].isalpha()


def _ru_number(word: str) -> tuple[int, bool] | None:
    for parse in parses(word)[:2]:
        tag = parse.tag
        lemma = fold(parse.normal_form)
        if ("NUMR" in tag or "Apro" in tag) and lemma in RU_CARDINALS:  # "один" is read as a pronoun-adjective
            return RU_CARDINALS[lemma], False
        if "Anum" in tag and lemma in RU_ORDINALS:
            return RU_ORDINALS[lemma], True
    return None


def _en_number(word: str) -> tuple[int, bool] | None:
    if word in EN_CARDINALS:
        return EN_CARDINALS[word], False
    if word in EN_ORDINALS:
        return EN_ORDINALS[word], True
    return None


def word_number(word: str, language: str) -> tuple[int, bool] | None:
    """The value of one number word (cardinal or ordinal), or None."""
    return _ru_number(word) if language == "ru" else _en_number(word)


def tokenize(text: str, language: str) -> list[Token]:
    """The tokens of ``text``; runs of number words ("двадцать пятого", "twenty-five") become one number token."""
    raw: list[Token] = []
    for match in TOKEN.finditer(text):
        word = match.group()
        token = Token(word, fold(word), match.start(), match.end())
        digits = DIGITS.fullmatch(token.norm)
        if digits:
            token.num, token.suffix = int(digits.group(1)), digits.group(2)
            token.ordinal = token.suffix in ("го", "е", "ое", "ого", "ому", "ым", "й", "ый", "ой", "м", "му",
                                             "th", "st", "nd", "rd")
        raw.append(token)
    tokens: list[Token] = []
    index = 0
    while index < len(raw):
        token = raw[index]
        parts = token.norm.split("-") if language == "en" and token.num is None else [token.norm]
        values = [word_number(part, language) for part in parts] if token.is_word else [None]
        if all(values) and values:
            total, ordinal = _combine([value for value in values if value])
            if total is not None:
                # "twenty" + "five", "двадцать" + "пятого": a tens word takes a following unit word
                following = raw[index + 1] if index + 1 < len(raw) else None
                nxt = word_number(following.norm, language) if following and following.is_word else None
                if total in TENS and nxt and 1 <= nxt[0] <= 9:
                    total, ordinal = total + nxt[0], nxt[1]
                    tokens.append(Token(text[token.start:following.end], token.norm + " " + following.norm,
                                        token.start, following.end, total, ordinal, span=2))
                    index += 2
                    continue
                token.num, token.ordinal = total, ordinal
        tokens.append(token)
        index += 1
    return tokens


def _combine(values: list[tuple[int, bool]]) -> tuple[int | None, bool]:
    if len(values) == 1:
        return values[0]
    if len(values) == 2 and values[0][0] in TENS and 1 <= values[1][0] <= 9:
        return values[0][0] + values[1][0], values[1][1]
    return None, False


def detect_language(text: str) -> str:
    """``ru`` when Cyrillic letters outnumber Latin ones, else ``en``."""
    cyrillic = sum(1 for char in text if "а" <= char.casefold() <= "я" or char in "ёЁ")
    latin = sum(1 for char in text if "a" <= char.casefold() <= "z")
    return "ru" if cyrillic >= latin and cyrillic else "en"
