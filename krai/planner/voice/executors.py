"""Who an order is for: the people its words name — one ("поручить Иванову подготовить …") or several joined by "и",
"and" and commas ("поручить Иванову, Петровой и Сидорову …", "assign Ivanov and Petrova to …", "Ivanov and Petrova
should …"). The first named is responsible, the others are co-executors.

Each person named is a ``Slot``: its words and the people they match (``people.Mention``), or no match when the words
look like a name nobody here has ("поручить Смиту и Петровой") — that one is asked for, the others stay. The words of
every slot are taken out of the subject, with the joining words and the "to"/"should" after the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from krai.planner.voice import people
from krai.planner.voice.latin import EN_COMMON_WORDS
from krai.planner.voice.text import Token, parses

EN_MODALS = [("should",), ("must",), ("needs", "to"), ("need", "to"), ("has", "to"), ("is", "to"), ("shall",)]
RU_AND = {"и", "а", "также"}  # "Иванову и Петровой", "Иванову, а также Петровой"
EN_AND = {"and"}
EN_NOT_NAMES = {"the", "a", "an", "this", "that", "it", "all"}
MAX_NAMED = 10  # people in one phrase: a longer chain is not a list of executors


class Phrase(Protocol):
    """What the reader of a phrase keeps (``parse._Reading``)."""

    language: str
    tokens: list[Token]
    norms: list[str]
    taken: set[int]
    trigger: tuple[int, int] | None
    expected_case: str

    def take(self, start: int, end: int) -> None: ...


@dataclass
class Slot:
    """One person named: tokens ``start``…``end`` (exclusive); ``mention`` None when nobody here has the name."""

    start: int
    end: int
    mention: people.Mention | None = None


def _match(norms: list[str], at: int, words: tuple[str, ...]) -> bool:
    return tuple(norms[at:at + len(words)]) == words


def words_of(text: str, tokens: list[Token], slot: Slot) -> str:
    """The slot's words as said."""
    return text[tokens[slot.start].start:tokens[slot.end - 1].end]


def read(phrase: Phrase, index: people.StaffIndex) -> list[Slot]:
    """The people the phrase names as executors, in the order said (empty: nobody is named)."""
    mentions = people.find_mentions(phrase.tokens, phrase.language, index, skip=phrase.taken,
                                    fuzzy_at=_fuzzy_places(phrase))
    if not mentions:
        return _unknown_only(phrase)
    chosen = mentions[0]
    if phrase.trigger:
        after = [mention for mention in mentions if phrase.trigger[1] <= mention.start <= phrase.trigger[1] + 4]
        chosen = after[0] if after else chosen
    if not (phrase.trigger and chosen.start >= phrase.trigger[1]):
        phrase.expected_case = ""  # "Иван Петрович, прошу …": the verb does not govern a name said before it
    slots = [*_unknown_before(phrase, chosen), Slot(chosen.start, chosen.end, chosen)]
    by_start = {mention.start: mention for mention in mentions}
    slots += _following(phrase, chosen.end, by_start)
    for slot in slots:
        if slot.mention is not None and phrase.expected_case:
            slot.mention.narrow_to_case(phrase.expected_case)
        phrase.take(slot.start, slot.end)
        if slot.mention is not None:
            _take_titles_before(phrase, slot.start)
    _take_after(phrase, slots[-1].end)
    if len(slots) == 1:
        _take_to_before(phrase, slots[0])
    return slots


def _fuzzy_places(phrase: Phrase) -> set[int]:
    """Where an English surname may match by a close spelling: where a person is expected — after the order word,
    after "and" or a comma in a list of people there, capitalised, or before "should"."""
    fuzzy_at: set[int] = set()
    if phrase.language != "en":
        return fuzzy_at
    norms = phrase.norms
    if phrase.trigger:
        start = phrase.trigger[1]
        fuzzy_at.update(range(start, start + 3))
        for at in range(start, min(start + 3 * MAX_NAMED, len(norms))):
            if norms[at] == "to" or any(_match(norms, at, words) for words in EN_MODALS):
                break
            if norms[at] in EN_AND or norms[at] == ",":
                fuzzy_at.update((at + 1, at + 2))
    fuzzy_at.update(at for at, token in enumerate(phrase.tokens) if at and token.text[:1].isupper())
    for at in range(len(phrase.tokens)):
        if any(_match(norms, at, words) for words in EN_MODALS):
            fuzzy_at.update((at - 1, at - 2))
    return fuzzy_at


def _separator(phrase: Phrase, at: int) -> int:
    """Past the "и", "and", ",", ", и" joining two people at ``at`` (``at`` itself: none there)."""
    joining = RU_AND if phrase.language == "ru" else EN_AND
    end = at
    if end < len(phrase.tokens) and phrase.norms[end] == "," and end not in phrase.taken:
        end += 1
    while end < len(phrase.tokens) and end - at < 3 and phrase.norms[end] in joining and end not in phrase.taken:
        end += 1
    return end


def _following(phrase: Phrase, at: int, by_start: dict[int, people.Mention]) -> list[Slot]:
    """The people joined to the one ending at ``at``: "… и Петровой", "…, Petrov and Sidorova"."""
    found: list[Slot] = []
    while len(found) < MAX_NAMED:
        start = _separator(phrase, at)
        if start == at:
            break
        while start < len(phrase.tokens) and phrase.norms[start] in people.TITLES and start not in phrase.taken:
            start += 1
        mention = by_start.get(start)
        if mention is not None and not phrase.taken & set(range(mention.start, mention.end)):
            found.append(Slot(mention.start, mention.end, mention))
        else:
            end = _unknown_run(phrase, start)
            if end == start:
                break
            found.append(Slot(start, end))
        phrase.take(at, start)  # the joining words
        at = found[-1].end
    return found


def _unknown_run(phrase: Phrase, start: int) -> int:
    """The end of the words at ``start`` that look like a name nobody here has — one to three words followed by what
    follows a person ("и", a comma, an infinitive; "and", "to", "should") — or ``start`` when they do not."""
    end = start
    while end < len(phrase.tokens) and end - start < 3 and end not in phrase.taken and _name_like(phrase, end):
        end += 1
        if end < len(phrase.tokens) and _closes_a_person(phrase, end):
            return end
    return start


def _name_like(phrase: Phrase, at: int) -> bool:
    token = phrase.tokens[at]
    if phrase.language == "ru":
        return people.looks_like_a_name(token)
    return token.is_word and token.norm not in EN_NOT_NAMES and (
        token.norm not in EN_COMMON_WORDS or token.text[:1].isupper())


def _closes_a_person(phrase: Phrase, at: int) -> bool:
    """Whether the token at ``at`` may follow a person's name in a list of executors."""
    norm = phrase.norms[at]
    if norm == ",":
        return True
    if phrase.language == "en":
        return norm in EN_AND or norm == "to" or any(_match(phrase.norms, at, words) for words in EN_MODALS)
    if norm in RU_AND:
        return True
    readings = parses(norm) if phrase.tokens[at].is_word else ()
    return bool(readings) and readings[0].tag.POS in ("INFN", "VERB")


def _unknown_before(phrase: Phrase, chosen: people.Mention) -> list[Slot]:
    """"поручить Смиту и Петровой": a name nobody here has, said first and joined to a known one, is the first
    executor (asked for), not a word of the subject."""
    if phrase.trigger is None or chosen.start <= phrase.trigger[1]:
        return []
    start = phrase.trigger[1]
    while start < chosen.start and phrase.norms[start] in people.TITLES:
        start += 1
    end = _unknown_run(phrase, start)
    if end == start or _separator(phrase, end) != chosen.start:
        return []
    phrase.take(end, chosen.start)
    return [Slot(start, end)]


def _unknown_only(phrase: Phrase) -> list[Slot]:
    """Someone is named where the order words expect a person, but nobody here has that name ("tell Smith to",
    "поручить Неизвестному подготовить"): the name is not the subject; the executor is asked for."""
    if phrase.trigger is None:
        return []
    start = phrase.trigger[1]
    tokens = phrase.tokens
    if phrase.language == "en":
        for end in range(start + 1, min(start + 4, len(tokens))):
            if phrase.norms[end] == "to":
                if all(token.is_word and token.norm not in EN_NOT_NAMES for token in tokens[start:end]):
                    phrase.take(start, end + 1)
                    return [Slot(start, end)]
                return []
        return []
    end = _unknown_run(phrase, start)
    if end == start:
        return []
    slots = [Slot(start, end), *_following(phrase, end, {})]  # "поручить Смиту и Джонсу …": both asked for
    for slot in slots:
        phrase.take(slot.start, slot.end)
    _take_after(phrase, slots[-1].end)
    return slots


def _take_after(phrase: Phrase, end: int) -> None:
    """The words that only joined the people to the phrase: a comma after "Иванову,", "Ivanov to", "Ivanov should"."""
    if end < len(phrase.tokens) and phrase.norms[end] in (",", ":", "—", "-"):
        phrase.take(end, end + 1)
        end += 1
    if phrase.language != "en":
        return
    for words in EN_MODALS:
        if _match(phrase.norms, end, words):
            phrase.take(end, end + len(words))
            if phrase.trigger is None:
                phrase.trigger = (end, end + len(words))
            return
    if end < len(phrase.tokens) and phrase.norms[end] == "to":
        phrase.take(end, end + 1)


def _take_titles_before(phrase: Phrase, start: int) -> None:
    """"Mr Ivanov", "Dr Petrova": the title goes with the person."""
    if phrase.language != "en":
        return
    while start > 0 and phrase.norms[start - 1] in people.TITLES:
        start -= 1
        phrase.take(start, start + 1)


def _take_to_before(phrase: Phrase, slot: Slot) -> None:
    """"… to Ivanov" at the end of the phrase: the "to" only joined the person."""
    if phrase.language != "en":
        return
    start = slot.start
    while start > 0 and phrase.norms[start - 1] in people.TITLES:
        start -= 1
    before = start - 1
    if before >= 0 and phrase.norms[before] in ("to", "for") and before not in phrase.taken:
        rest = [at for at in range(slot.end, len(phrase.tokens))
                if at not in phrase.taken and phrase.tokens[at].is_word]
        if not rest:
            phrase.take(before, before + 1)
