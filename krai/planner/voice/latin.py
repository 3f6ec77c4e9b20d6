"""Russian names in Latin letters, as English phrases (and English speech recognisers) write them: the ICAO
spelling of passports, a BGN/PCGN-like one (Yelena, Solovyov, Dmitry) and the English forms of common given names."""

from __future__ import annotations

from functools import lru_cache

TRANSLIT_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}
#: where the BGN/PCGN-like spelling (Yelena, Solovyov, Dmitry) differs from ICAO
TRANSLIT_BGN = {**TRANSLIT_ICAO, "й": "y", "ё": "yo", "ъ": "", "ю": "yu", "я": "ya", "ье": "ye", "ьё": "yo",
                "ий": "y", "ый": "y", "кс": "x", "х": "h"}
#: English forms of common Russian given names, beside their transliterations
ENGLISH_NAMES = {
    "пётр": ("peter",), "петр": ("peter",), "павел": ("paul",), "михаил": ("michael",), "александр": ("alexander",),
    "алексей": ("alexei", "alexey", "alex"), "андрей": ("andrew", "andrei"), "николай": ("nicholas", "nikolai"),
    "мария": ("maria", "mary"), "елена": ("elena", "helen", "yelena"), "екатерина": ("catherine", "katerina"),
    "анна": ("anna", "ann"), "иван": ("ivan", "john"), "георгий": ("george",), "юлия": ("julia", "yulia"),
    "татьяна": ("tatiana", "tatyana"), "наталья": ("natalia", "natalya"), "дмитрий": ("dmitry", "dmitri"),
    "сергей": ("sergey", "sergei"), "евгений": ("eugene", "evgeny", "yevgeny"), "ольга": ("olga",),
}
#: English words that are also transliterated surnames (Ан → "an", Ли → "li", О → "o"): a person only when written
#: with a capital letter inside the phrase
EN_COMMON_WORDS = {"a", "an", "the", "to", "by", "on", "in", "at", "of", "for", "and", "or", "me", "my", "it", "is",
                   "be", "do", "go", "so", "no", "up", "as", "we", "us", "he", "i", "o", "you", "may", "will", "can",
                   "all", "one", "two", "ten", "new", "li", "lee", "mark", "bill", "long", "report"}


def transliterate(word: str, table: dict[str, str]) -> str:
    """``word`` (lower case Cyrillic) in Latin letters by ``table``; two-letter keys are tried first."""
    out: list[str] = []
    index = 0
    while index < len(word):
        pair = word[index:index + 2]
        if len(pair) == 2 and pair in table and (pair not in ("ий", "ый") or index + 2 == len(word)):
            out.append(table[pair])
            index += 2
            continue
        out.append(table.get(word[index], word[index]))
        index += 1
    return "".join(out)


@lru_cache(maxsize=50_000)
def latin_forms(word: str) -> frozenset[str]:
    """The Latin spellings a Russian name is likely written in (ICAO, BGN-like, English forms of given names);
    memoised, as the same names come back with every request."""
    lowered = word.casefold()
    forms = {transliterate(lowered, TRANSLIT_ICAO), transliterate(lowered, TRANSLIT_BGN),
             transliterate(lowered.replace("ё", "е"), TRANSLIT_BGN)}
    if lowered[:1] == "е":  # Yelena, Yershov: the BGN spelling of an initial е
        forms.add("ye" + transliterate(lowered[1:].replace("ё", "е"), TRANSLIT_BGN))
    forms.update(ENGLISH_NAMES.get(lowered, ()))
    return frozenset(form for form in forms if form)
