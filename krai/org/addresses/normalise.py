"""How an address is written for matching: lower case, ё as е, the kinds of streets and places in one spelling.

People write «ул. Красная, д. 12», «улица красная 12», «Красная ул 12» and «красная,12» for the same house;
the registry writes «ул Красная», «Красная улица» or just «Красная». Matching compares the words of the name
only: the kind («улица», «проспект», «переулок») is kept apart, as a hint that ranks «пер. Мира» above
«ул. Мира» when the query names a lane, and house numbers are written one way («12 корп. 1» → «12к1»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: every spelling of a street's or a place's kind → one canonical kind
KINDS: dict[str, str] = {}
for canonical, spellings in {
    "ул": ("ул", "улица", "у"),
    "пр-кт": ("пр-кт", "пркт", "пр-т", "прт", "просп", "проспект", "пр"),
    "пер": ("пер", "переулок", "пер-к"),
    "пл": ("пл", "площадь"),
    "б-р": ("б-р", "бр", "бул", "бульв", "бульвар"),
    "ш": ("ш", "шоссе"),
    "проезд": ("проезд", "пр-д", "прд"),
    "наб": ("наб", "набережная"),
    "туп": ("туп", "тупик"),
    "мкр": ("мкр", "мкрн", "микрорайон", "мкр-н"),
    "кв-л": ("кв-л", "квартал"),
    "аллея": ("аллея", "ал"),
    "тер": ("тер", "территория", "снт", "днт"),
}.items():
    for spelling in spellings:
        KINDS[spelling] = canonical

#: words that name a kind of settlement or a house: dropped, they never tell two addresses apart here
NOISE = frozenset({
    "г", "город", "гор", "ст-ца", "стца", "станица", "ст", "пос", "поселок", "п", "пгт", "с", "село", "х", "хут",
    "хутор", "аул", "д", "дом", "дер", "деревня", "рп", "край", "краснодарский", "р-н", "рн", "район", "го",
    "городской", "округ", "россия", "рф",
})

_HOUSE_PART = {"корпус": "к", "корп": "к", "кор": "к", "к": "к", "строение": "с", "стр": "с", "с": "с",
               "литера": "", "литер": "", "лит": "", "владение": "", "вл": ""}

_SPLIT = re.compile(r"[\s,;()«»\"']+")


def fold(text: str) -> str:
    """Lower case, ё → е, punctuation other than the hyphen and the slash gone, spaces single."""
    text = (text or "").lower().replace("ё", "е").replace("№", " ")
    text = re.sub(r"(?<=[а-яa-z])\.(?=\S)", ". ", text)  # «ул.Красная» → «ул. красная»
    text = text.replace(".", " ")
    return " ".join(part for part in _SPLIT.split(text) if part)


def street_words(name: str) -> tuple[str, list[str]]:
    """A street's or a place's name → (its canonical kind or "", the words of its name)."""
    kind, words = "", []
    for word in fold(name).split():
        word = word.strip("-")
        if not word:
            continue
        if word in KINDS and not kind:
            kind = KINDS[word]
        elif word not in NOISE:
            words.append(word)
    return kind, words


def name_key(name: str) -> str:
    """The matching key of a street's or a place's name: its words without the kind."""
    return " ".join(street_words(name)[1])


def house_key(house: str) -> str:
    """«12 А», «д. 12а», «12 корп. 1», «12/3 стр 2» → «12а», «12а», «12к1», «12/3с2»."""
    words = fold(house).split()
    out = ""
    for word in words:
        if word in ("д", "дом", "владение", "вл"):
            continue
        if word in _HOUSE_PART:
            out += _HOUSE_PART[word]
            continue
        match = re.match(r"^(корп|корпус|к|стр|строение|с|лит|литера)(\d+[а-я]?)$", word)
        if match and out:
            out += _HOUSE_PART[match.group(1)] + match.group(2)
            continue
        out += word
    return out.replace("-", "")


@dataclass(frozen=True)
class Query:
    """What a typed address asks for: the words of the names, a kind if one was named, a house if one was."""

    words: tuple[str, ...]
    kind: str
    house: str


def parse_query(text: str) -> Query:
    """Split a typed address into name words, a kind and a house number.

    The house is the run of tokens at the end that starts with a number («12», «12 а», «12 корп. 1»), when
    words come before it; a number inside a name stays a word («ул. 40 лет Победы, 12»).
    """
    tokens = [t.strip("-") for t in fold(text).split()]
    tokens = [t for t in tokens if t]
    start = len(tokens)
    while start > 0 and _house_part(tokens[start - 1]):
        start -= 1
    while start < len(tokens) and not any(ch.isdigit() for ch in tokens[start]):
        start += 1  # the run begins at its first number («д. 12» → «12»)
    head, tail = tokens[:start], tokens[start:]
    kind = ""
    words: list[str] = []
    for token in head:
        if token in KINDS and not kind:
            kind = KINDS[token]
        elif token not in NOISE:
            words.append(token)
    if not words:  # only a number: it is a name («8 марта» typed half-way), not a house
        words, tail = [t for t in tail if t not in NOISE], []
    return Query(words=tuple(words), kind=kind, house=house_key(" ".join(tail)))


def _house_part(token: str) -> bool:
    return any(ch.isdigit() for ch in token) or token in _HOUSE_PART or token in ("д", "дом") \
        or (len(token) == 1 and token.isalpha())
