"""Who a phrase names: the staff a user may give orders to, indexed by surname, and the people a phrase's words match.

Russian surnames are inflected ("поручить Иванову", "Ивановой", "с Сидоровым"): each word's nominative readings come
from pymorphy3 (its dictionary knows common surnames and its guesser the rest), joined by suffix rules for the
surnames it reads as something else; the reading's grammatical case is kept, so "поручить Иванову" (dative) names
Иванов rather than Иванова (accusative) when both work here. English phrases name people in Latin letters: the index
holds transliterations of every surname (ICAO and BGN-like spellings) and looks a word up exactly, then by a close
spelling (rapidfuzz). A given name, a patronymic or initials next to the surname narrow the choice.

The index is built from plain rows (id, surname, given name, patronymic), once per request for a user (cached on the
user object, as ``krai.org.selectors.scope_for`` caches the scope); 5,000 staff take a few milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from krai.planner.voice import latin
from krai.planner.voice.latin import EN_COMMON_WORDS, TRANSLIT_ICAO, transliterate
from krai.planner.voice.text import Token, fold, parses
from krai.planner.voice.types import PersonMatch

CACHE_ATTRIBUTE = "_krai_voice_staff"
ALL_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
VOWELS = set("аеёиоуыэюяь")  # ь: a surname ending in it declines like one ending in a vowel for this purpose

#: (ending, replacement, cases, gender): how Russian surnames decline, for the words pymorphy3 reads otherwise
SUFFIX_RULES: tuple[tuple[str, str, frozenset[str], str], ...] = tuple(
    (ending, replacement, frozenset(cases.split()), gender) for ending, replacement, cases, gender in (
        # Иванов, Ковальчук (a man's, ending in a consonant)
        ("а", "", "gent accs", "masc"), ("у", "", "datv", "masc"), ("ом", "", "ablt", "masc"),
        ("ым", "", "ablt", "masc"), ("им", "", "ablt", "masc"), ("е", "", "loct", "masc"),
        # Иванова, Лисица (a woman's, and surnames ending in -а)
        ("ой", "а", "gent datv ablt loct", ""), ("ою", "а", "ablt", ""), ("у", "а", "accs", ""),
        ("ы", "а", "gent", ""), ("и", "а", "gent", ""), ("е", "а", "datv loct", ""), ("ей", "а", "ablt", ""),
        # Толстой, Достоевский, Достоевская
        ("ого", "ой", "gent accs", "masc"), ("ому", "ой", "datv", "masc"), ("ым", "ой", "ablt", "masc"),
        ("ого", "ий", "gent accs", "masc"), ("ому", "ий", "datv", "masc"), ("им", "ий", "ablt", "masc"),
        ("ом", "ий", "loct", "masc"), ("ой", "ая", "gent datv ablt loct", "femn"), ("ую", "ая", "accs", "femn"),
        # Гоголь, Зуй
        ("я", "ь", "gent accs", "masc"), ("ю", "ь", "datv", "masc"), ("ем", "ь", "ablt", "masc"),
        ("е", "ь", "loct", "masc"), ("я", "й", "gent accs", "masc"), ("ю", "й", "datv", "masc"),
        ("ем", "й", "ablt", "masc"), ("е", "й", "loct", "masc"),
    ))
#: parts of speech a surname is never read as (a verb or a preposition in the phrase is not a person)
NOT_A_NAME = {"VERB", "INFN", "PREP", "CONJ", "PRCL", "NPRO", "ADVB", "PRED", "GRND", "INTJ", "COMP", "NUMR"}

TITLES = {"mr", "mrs", "ms", "miss", "dr", "господин", "госпожа", "товарищ", "коллега", "коллеге"}
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio: one letter wrong in a surname of six or more


@lru_cache(maxsize=50_000)
def is_female(given_name: str, patronymic: str) -> bool:
    """Whether a person is a woman, read from the patronymic (-вна, -чна, -кызы) or else the given name."""
    patronymic = fold(patronymic)
    if patronymic:
        return patronymic.endswith(("вна", "чна", "кызы", "гызы"))
    for parse in parses(fold(given_name))[:1]:
        if "Name" in parse.tag:
            return "femn" in parse.tag
    return fold(given_name).endswith(("а", "я"))


@dataclass(frozen=True)
class StaffMember:
    """One person the phrase may name."""

    user_id: int
    surname: str
    given_name: str
    patronymic: str = ""
    female: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)


class StaffIndex:
    """Staff by folded surname (and by given name and patronymic); Latin spellings built when first needed."""

    def __init__(self, members: Iterable[StaffMember], units: dict[int, str] | None = None) -> None:
        self.members: dict[int, StaffMember] = {}
        self.by_surname: dict[str, list[int]] = defaultdict(list)
        self.by_name_patronymic: dict[tuple[str, str], list[int]] = defaultdict(list)
        for member in members:
            self.members[member.user_id] = member
            self.by_surname[fold(member.surname)].append(member.user_id)
            if member.patronymic:
                self.by_name_patronymic[(fold(member.given_name), fold(member.patronymic))].append(member.user_id)
        # the units of those shown, asked of the database as they are matched unless given here
        self.units: dict[int, str] = dict(units or {})
        self.query_units = units is None

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str, str, str]], units: dict[int, str] | None = None) -> StaffIndex:
        """From (id, surname, given name, patronymic) rows; ``units`` (id → unit label) if already known."""
        return cls((StaffMember(pk, surname, given, patronymic or "", is_female(given, patronymic or ""))
                    for pk, surname, given, patronymic in rows if surname), units)

    def __len__(self) -> int:
        return len(self.members)

    @cached_property
    def by_latin(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = defaultdict(list)
        for member in self.members.values():
            for form in latin.latin_forms(member.surname):
                found[form].append(member.user_id)
        return found

    @cached_property
    def latin_keys(self) -> list[str]:
        return list(self.by_latin)

    @cached_property
    def latin_given(self) -> dict[int, frozenset[str]]:
        return {pk: latin.latin_forms(member.given_name) for pk, member in self.members.items()}


def _person_query(user: Any) -> Any:
    from krai.orders.pickers import people_for

    return people_for(user=user, purpose="lead")


def staff_index_for(user: Any) -> StaffIndex:
    """The people ``user`` may give an order to (as the order form's executor picker offers them), indexed; built
    once per request (the request's user object carries it)."""
    cached = getattr(user, "__dict__", {}).get(CACHE_ATTRIBUTE)
    if cached is not None:
        return cached
    rows = _person_query(user).values_list("pk", "surname", "given_name", "patronymic")
    index = StaffIndex.from_rows(rows)
    if hasattr(user, "__dict__"):
        user.__dict__[CACHE_ATTRIBUTE] = index
    return index


def units_for(index: StaffIndex, user_ids: list[int]) -> dict[int, str]:
    """Each named person's unit for his label (asked for the few matched, not the whole index)."""
    wanted = [pk for pk in user_ids if pk not in index.units]
    if wanted and index.query_units:
        from krai.orders.pickers import units_of
        from krai.org.models import User

        found = units_of(list(User.objects.filter(pk__in=wanted)))
        for pk in wanted:
            index.units[pk] = found.get(pk, "")
    return {pk: index.units.get(pk, "") for pk in user_ids}


# -- Russian readings of a word --------------------------------------------------------------------------------


def surname_readings(word: str) -> dict[str, set[tuple[str, str]]]:
    """The nominative forms a folded word may be a surname in, each with the (case, gender) it is read in; gender
    "" where the reading does not tell. The word itself is always among them (indeclinable surnames: "Шевченко")."""
    readings: dict[str, set[tuple[str, str]]] = defaultdict(set)
    readings[word] = set()
    word_parses = parses(word)
    if word_parses and word_parses[0].tag.POS in NOT_A_NAME and not any(
            "Surn" in parse.tag or "Name" in parse.tag for parse in word_parses):
        return {}
    for parse in word_parses:
        if parse.tag.POS in NOT_A_NAME:
            continue
        case = parse.tag.case or ""
        gender = parse.tag.gender if parse.tag.gender in ("masc", "femn") else ""
        nominative = parse.inflect({"nomn", "sing"}) if "Pltm" not in parse.tag else None
        for form in (nominative.word if nominative else "", parse.normal_form):
            if form:
                readings[fold(form)].add((case, gender))
    for ending, replacement, cases, gender in SUFFIX_RULES:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            readings[word[:-len(ending)] + replacement].update((case, gender) for case in cases)
    return readings


def name_readings(word: str) -> set[str]:
    """The nominative forms a folded word may be a given name or a patronymic in ("Петру" → пётр → петр)."""
    forms = {word}
    for parse in parses(word):
        nominative = parse.inflect({"nomn", "sing"})
        forms.update(fold(form) for form in (nominative.word if nominative else "", parse.normal_form) if form)
    for ending, replacement, _cases, _gender in SUFFIX_RULES:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            forms.add(word[:-len(ending)] + replacement)
    return forms


@dataclass
class Mention:
    """People a phrase's words name: tokens ``start``…``end`` (exclusive), the candidates with the cases the surname
    was read in, and how sure (1: surname and a name agree)."""

    start: int
    end: int
    cases: dict[int, set[str]] = field(default_factory=dict)
    score: float = 0.9

    @property
    def user_ids(self) -> list[int]:
        return list(self.cases)

    def agrees_with(self, case: str) -> bool:
        """Whether anyone here is named in ``case`` (or in a form that may be any case)."""
        return any(not cases or case in cases for cases in self.cases.values())

    def narrow_to_case(self, case: str) -> None:
        """Keep the people whose surname reads in ``case`` here (when any does): a verb's government decides
        between "Иванову" the man (dative) and "Иванову" the woman (accusative)."""
        matching = {pk: cases for pk, cases in self.cases.items() if case in cases}
        if matching and len(matching) < len(self.cases):
            self.cases = matching


def _initial(tokens: list[Token], index: int) -> str | None:
    """A single letter written with a full stop ("И." of "И. П. Иванову")."""
    if 0 <= index < len(tokens) and len(tokens[index].norm) == 1 and tokens[index].is_word:
        nxt = tokens[index + 1] if index + 1 < len(tokens) else None
        if nxt is not None and nxt.norm == ".":
            return tokens[index].norm
    return None


def _narrow_by_names(mention: Mention, tokens: list[Token], index: StaffIndex, language: str,
                     skip: set[int]) -> None:
    """Narrow a surname's candidates by the given name, patronymic or initials around it; widen the mention."""
    candidates = [index.members[pk] for pk in mention.cases]

    def agrees(member: StaffMember, token_index: int) -> bool:
        token = tokens[token_index]
        if language == "en":
            from rapidfuzz import fuzz

            if _initial(tokens, token_index) is not None:
                return transliterate(fold(member.given_name), TRANSLIT_ICAO)[:1] == token.norm
            return any(fuzz.ratio(token.norm, form) >= 80 for form in index.latin_given[member.user_id])
        initial = _initial(tokens, token_index)
        if initial is not None:
            return initial in (fold(member.given_name)[:1], fold(member.patronymic)[:1])
        forms = name_readings(token.norm)
        return fold(member.given_name) in forms or (bool(member.patronymic) and fold(member.patronymic) in forms)

    def neighbour(step: int, at: int) -> int | None:
        position = at + step
        while 0 <= position < len(tokens) and tokens[position].norm == ".":
            position += step
        if 0 <= position < len(tokens) and position not in skip and tokens[position].is_word:
            return position
        return None

    for step in (-1, 1):
        at = mention.start if step < 0 else mention.end - 1
        for _ in range(2):  # a given name and a patronymic, or two initials, on one side
            position = neighbour(step, at)
            if position is None:
                break
            agreeing = [member for member in candidates if agrees(member, position)]
            if not agreeing:
                break
            candidates = agreeing
            mention.cases = {member.user_id: mention.cases[member.user_id] for member in agreeing}
            mention.score = 1.0
            if step < 0:
                mention.start = position
            else:
                mention.end = position + 1 + (position + 1 < len(tokens) and tokens[position + 1].norm == ".")
            at = position


def indeclinable(member: StaffMember) -> bool:
    """Surnames that keep one form in every case: Шевченко, Черных, Цой (a woman's), Ковальчук (a woman's)."""
    surname = fold(member.surname)
    return surname.endswith(("о", "е", "и", "у", "ы", "ю", "их", "ых")) or (
        member.female and surname[-1:] not in VOWELS)


def _ru_surname(token: Token, index: StaffIndex) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for form, readings in surname_readings(token.norm).items():
        for pk in index.by_surname.get(form, ()):
            member = index.members[pk]
            if member.female and member.surname[-1:].casefold() not in VOWELS and token.norm != form:
                continue  # a woman's surname ending in a consonant does not decline
            if token.norm == form and indeclinable(member):
                found.setdefault(pk, set()).update(ALL_CASES)
                continue
            other = "masc" if member.female else "femn"
            compatible = [(case, gender) for case, gender in readings if gender != other]
            if readings and not compatible:
                continue  # "Смирновой" is a woman's form: not Смирнов
            found.setdefault(pk, set()).update(case for case, _gender in compatible if case)
    return found


def _en_surname(token: Token, index: StaffIndex, fuzzy: bool) -> tuple[dict[int, set[str]], float]:
    key = token.norm[:-2] if token.norm.endswith("'s") else token.norm
    exact = index.by_latin.get(key)
    if exact:
        return {pk: set() for pk in exact}, 0.9
    if not fuzzy or len(key) < 4:
        return {}, 0.0
    from rapidfuzz import fuzz, process

    best = process.extract(key, index.latin_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
    if not best:
        return {}, 0.0
    # "Petrov" is not "Petrova" (nor "Poliakova"): English keeps the Russian ending of a woman's surname, so a close
    # spelling must end as the word does
    best = [row for row in best if row[0][:1] == key[:1] and row[0].endswith("a") == key.endswith("a")]
    if not best:
        return {}, 0.0
    top = best[0][1]
    found: dict[int, set[str]] = {}
    for form, score, _position in best:
        if score >= top - 0.01:
            for pk in index.by_latin[form]:
                found[pk] = set()
    return found, round(0.9 * top / 100, 2)


def find_mentions(tokens: list[Token], language: str, index: StaffIndex, *, skip: set[int] | None = None,
                  fuzzy_at: set[int] | None = None) -> list[Mention]:
    """Every place the phrase names someone of ``index``, left to right. ``fuzzy_at``: the token places where an
    English surname may also match by a close spelling (where a person is expected: after "assign", "tell" …)."""
    skip = skip or set()
    mentions: list[Mention] = []
    if not len(index):
        return mentions
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if position in skip or not token.is_word or len(token.norm) < 2 or token.norm in TITLES:
            position += 1
            continue
        if language == "en":
            if token.norm in EN_COMMON_WORDS and not (position and token.text[:1].isupper()):
                position += 1
                continue
            cases, score = _en_surname(token, index, bool(fuzzy_at) and position in fuzzy_at)
        else:
            cases, score = _ru_surname(token, index), 0.9
        if cases:
            mention = Mention(position, position + 1, cases, score)
            _narrow_by_names(mention, tokens, index, language, skip)
            mentions.append(mention)
            position = mention.end
            continue
        position += 1
    if language == "ru":
        mentions += _name_patronymic_mentions(tokens, index, skip, mentions)
    else:
        mentions += _latin_name_patronymic_mentions(tokens, index, skip, mentions)
    mentions.sort(key=lambda mention: mention.start)
    return mentions


def _name_patronymic_mentions(tokens: list[Token], index: StaffIndex, skip: set[int],
                              taken: list[Mention]) -> list[Mention]:
    """"Поручить Ивану Петровичу": a given name and a patronymic without the surname, when they name one person."""
    covered = {place for mention in taken for place in range(mention.start, mention.end)}
    found: list[Mention] = []
    for position in range(len(tokens) - 1):
        if {position, position + 1} & (covered | skip):
            continue
        first, second = tokens[position], tokens[position + 1]
        if not (first.is_word and second.is_word):
            continue
        if not any("Patr" in parse.tag for parse in parses(second.norm)):
            continue
        people = {pk for given in name_readings(first.norm) for patronymic in name_readings(second.norm)
                  for pk in index.by_name_patronymic.get((given, patronymic), ())}
        if people:
            cases = {parse.tag.case or "" for parse in parses(second.norm) if "Patr" in parse.tag}
            found.append(Mention(position, position + 2, {pk: set(cases) for pk in people}, 0.9))
    return found


LATIN_PATRONYMIC_ENDINGS = ("vich", "vna", "ich", "ichna")


def _latin_name_patronymic_mentions(tokens: list[Token], index: StaffIndex, skip: set[int],
                                    taken: list[Mention]) -> list[Mention]:
    """"tell Sergey Nikolaevich to …": a given name and a patronymic in Latin letters, when they name one person."""
    from rapidfuzz import fuzz

    covered = {place for mention in taken for place in range(mention.start, mention.end)}
    found: list[Mention] = []
    for position in range(len(tokens) - 1):
        first, second = tokens[position], tokens[position + 1]
        if {position, position + 1} & (covered | skip) or not second.norm.endswith(LATIN_PATRONYMIC_ENDINGS):
            continue
        people = [pk for pk, member in index.members.items() if member.patronymic
                  and any(fuzz.ratio(second.norm, form) >= 85 for form in latin.latin_forms(member.patronymic))
                  and any(fuzz.ratio(first.norm, form) >= 85 for form in index.latin_given[pk])]
        if people:
            found.append(Mention(position, position + 2, {pk: set() for pk in people}, 0.85))
    return found


def looks_like_a_name(token: Token) -> bool:
    """A Russian word that reads as a name or surname, or that the dictionary does not know."""
    if not token.is_word:
        return False
    from krai.planner.voice.text import analyzer

    found = parses(token.norm)
    return any("Surn" in p.tag or "Name" in p.tag or "Patr" in p.tag for p in found) or not analyzer().word_is_known(
        token.norm)


def person_matches(index: StaffIndex, mention: Mention, limit: int = 10) -> list[PersonMatch]:
    """The mention's people as the draft shows them (name, unit, score), in the order of their names."""
    people = sorted((index.members[pk] for pk in mention.cases), key=lambda m: (m.full_name, m.user_id))[:limit]
    units = units_for(index, [member.user_id for member in people]) if people else {}
    return [PersonMatch(member.user_id, member.full_name, units.get(member.user_id, ""), mention.score)
            for member in people]
