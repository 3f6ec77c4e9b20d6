"""A dictated phrase read into a draft order or task: who is to do what by when, and how urgent.

"поручить Иванову подготовить справку по дорогам до пятницы" → an order to Иванов, "Подготовить справку по дорогам",
due next Friday; "напомнить мне позвонить в министерство завтра" → a task for the speaker. The reader takes out the
words it understood (the intent's verb, the person, the deadline, the priority) and leaves the rest as the subject.
It does not guess: a phrase naming nobody it knows, or two people of that name, or no date, says what is missing
(``Draft.missing``), and the person confirms or completes the draft before anything is issued.

What is read:

* intent — an order: "поручить/поручаю/дать поручение/пусть X сделает/прошу X", "assign/tell X to/ask X to/have X";
  a task (the speaker's own, no executor to find): "напомнить мне/запланировать/добавить задачу",
  "remind me to/add a task/schedule/I need to". Without either word a phrase is an order;
* executors — ``executors`` (one, or several joined by "и"/"and"/commas: the first responsible, the others
  co-executors) matched by ``people`` (the staff the user may give orders to, inflected Russian and transliterated
  English names), each with the words that named him; an unknown or ambiguous one is asked for, the others stay;
* deadline — ``dates``; priority — "срочно/немедленно/urgent/asap" urgent, "важно/high priority" high.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from krai.planner.voice import dates, executors, people
from krai.planner.voice.text import Token, detect_language, fold, parses, tokenize
from krai.planner.voice.types import Draft, Named, PersonMatch

LANGUAGES = ("ru", "en")

#: order words: (the words, the grammatical case the person after them is in)
RU_ORDER_LEMMAS = {"поручить": "datv", "поручать": "datv", "поручение": "datv", "передать": "datv",
                   "сказать": "datv", "велеть": "datv", "попросить": "accs", "просить": "accs", "обязать": "accs",
                   "пусть": "nomn", "пускай": "nomn", "поручаться": "datv", "ответственный": "nomn",
                   "исполнитель": "nomn", "назначить": "accs"}
#: order words that order wherever they stand; the others ("передать", "ответственный", "assign", "ask") only open
#: a phrase, as in the middle they are the work itself ("передать документы в архив", "ask the ministry for data")
RU_ORDER_ANYWHERE = {"поручить", "поручать", "поручаться", "пусть", "пускай"}
OPENERS = {"please", "ok", "okay", "so", "пожалуйста", "так", "итак", "значит", "ну"}
RU_TASK_PHRASES = [("напомнить", "мне"), ("напомни", "мне"), ("напомните", "мне"), ("напомнить", "себе"),
                   ("напоминание",), ("запланировать",), ("запланируй",), ("запланируйте",), ("мне", "нужно"),
                   ("мне", "надо"), ("не", "забыть"), ("мне", "необходимо")]
RU_TASK_VERBS = {"добавить", "создать", "поставить", "записать", "завести"}
RU_TASK_OBJECTS = {"задачу", "задача", "задачи", "напоминание", "себе", "в", "план", "планер", "мне", "новую"}
EN_ORDER_WORDS = {"assign", "tell", "ask", "instruct", "order", "delegate", "direct"}
EN_ORDER_AT_START = {"have", "get", "let", "make"}
EN_TASK_PHRASES = [("remind", "me", "to"), ("remind", "me", "about"), ("remind", "me"), ("add", "a", "task", "to"),
                   ("add", "a", "task"), ("add", "task"), ("create", "a", "task", "to"), ("create", "a", "task"),
                   ("new", "task"), ("schedule",), ("plan", "to"), ("i", "need", "to"), ("i", "have", "to"),
                   ("i", "must"), ("note", "to", "self"), ("don't", "let", "me", "forget", "to"),
                   ("don't", "forget", "to"), ("set", "a", "reminder", "to"), ("add", "a", "reminder", "to"),
                   ("add", "to", "my", "planner"), ("make", "a", "note", "to")]

RU_URGENT = {"срочно", "срочный", "сверхсрочно", "сверхсрочный", "немедленно", "незамедлительно",
             "безотлагательно", "неотложно", "экстренно"}
RU_URGENT_PHRASES = [("в", "срочном", "порядке"), ("как", "можно", "скорее"), ("как", "можно", "быстрее"),
                     ("в", "первоочередном", "порядке")]
RU_HIGH = {"важно", "важное", "приоритетно"}
RU_HIGH_PHRASES = [("в", "приоритетном", "порядке"), ("высокий", "приоритет"), ("с", "высоким", "приоритетом"),
                   ("особой", "важности"), ("особо", "важно"), ("очень", "важно"), ("приоритет", "высокий")]
EN_URGENT = {"urgent", "urgently", "asap", "immediately"}
EN_URGENT_PHRASES = [("as", "soon", "as", "possible"), ("right", "away"), ("right", "now"), ("a", "s", "a", "p")]
EN_HIGH = {"important", "high-priority"}
EN_HIGH_PHRASES = [("as", "a", "priority"), ("high", "priority"), ("top", "priority"), ("with", "priority"),
                   ("a", "priority"), ("very", "important")]
RU_LEAD_IN = {"это", "очень", "особо"}
EN_LEAD_IN = [("it's",), ("it", "is"), ("this", "is"), ("that's",), ("very",)]

RU_FILLERS = {"про", "о", "об", "чтобы", "чтоб", "что", "пожалуйста", "и", "а", "срок", "сроком", "задачу", "задача",
              "поручение", "до", "к", "по", "надо", "нужно", "же", "ну", "вот", "так", "мне", "себе", "—", "-", ":",
              ","}
EN_FILLERS = {"to", "please", "that", "and", "so", "by", "task", "a", "an", "the", "reminder", "—", "-", ":", ",",
              "with", "for", "about", "of", "on", "until", "till", "before"}


def _match(norms: list[str], at: int, words: tuple[str, ...]) -> bool:
    return tuple(norms[at:at + len(words)]) == words


def _lemma(token: Token) -> str:
    found = parses(token.norm)
    return fold(found[0].normal_form) if found else token.norm


class _Reading:
    """One phrase being read: its tokens, what has been taken out of the subject, and what was found."""

    def __init__(self, text: str, language: str) -> None:
        self.text, self.language = text, language
        self.tokens = tokenize(text, language)
        self.norms = [token.norm for token in self.tokens]
        self.taken: set[int] = set()
        self.intent = "order"
        self.trigger: tuple[int, int] | None = None  # the order words' places (start, end exclusive)
        self.expected_case = ""

    def take(self, start: int, end: int) -> None:
        self.taken.update(range(start, end))

    def free(self, at: int, words: tuple[str, ...]) -> bool:
        return _match(self.norms, at, words) and not self.taken & set(range(at, at + len(words)))

    # -- priority ------------------------------------------------------------------------------------------------
    def priority(self) -> str:
        russian = self.language == "ru"
        found = "normal"
        for level, singles, phrases in (
                ("urgent", RU_URGENT if russian else EN_URGENT, RU_URGENT_PHRASES if russian else EN_URGENT_PHRASES),
                ("high", RU_HIGH if russian else EN_HIGH, RU_HIGH_PHRASES if russian else EN_HIGH_PHRASES)):
            for at in range(len(self.tokens)):
                for words in phrases:
                    if self.free(at, words):
                        self._take_with_lead_in(at, at + len(words))
                        found = found if found == "urgent" else level
                token = self.tokens[at]
                if at in self.taken or not token.is_word:
                    continue
                if token.norm in singles or (russian and _lemma(token) in singles and level == "urgent"):
                    self._take_with_lead_in(at, at + 1)
                    found = found if found == "urgent" else level
        return found

    def _take_with_lead_in(self, start: int, end: int) -> None:
        """Take the priority words with "это", "очень", "it is", "this is" in front of them."""
        if self.language == "ru":
            while start > 0 and self.norms[start - 1] in RU_LEAD_IN:
                start -= 1
        else:
            moved = True
            while moved:
                moved = False
                for words in EN_LEAD_IN:
                    if start >= len(words) and _match(self.norms, start - len(words), words):
                        start, moved = start - len(words), True
        self.take(start, end)

    # -- intent ----------------------------------------------------------------------------------------------------
    def read_intent(self) -> None:
        if self.language == "ru":
            self._intent_ru()
        else:
            self._intent_en()

    def _intent_ru(self) -> None:
        for at in range(len(self.tokens)):
            for words in RU_TASK_PHRASES:
                if self.free(at, words):
                    self.intent = "task"
                    self.take(at, at + len(words))
                    return
            lemma = _lemma(self.tokens[at]) if self.tokens[at].is_word else ""
            if lemma in RU_TASK_VERBS and at not in self.taken:
                end = at + 1
                while end < len(self.tokens) and self.norms[end] in RU_TASK_OBJECTS:
                    end += 1
                if end > at + 1 and any(self.norms[place] in ("задачу", "напоминание", "план", "планер")
                                        for place in range(at + 1, end)):
                    self.intent = "task"
                    self.take(at, end)
                    return
        first = self._first_word()
        for at in range(len(self.tokens)):
            if at in self.taken or not self.tokens[at].is_word:
                continue
            lemma = _lemma(self.tokens[at])
            after_give = self.norms[at] == "поручение" and at > 0 and _lemma(self.tokens[at - 1]) in ("дать", "давать")
            if lemma in RU_ORDER_LEMMAS and (lemma in RU_ORDER_ANYWHERE or self.norms[at] == "прошу" or at == first
                                             or after_give):
                end = at + 1
                if after_give:
                    at -= 1
                if lemma == "ответственный" and end < len(self.tokens) and self.norms[end] in (":", "—", "-"):
                    end += 1
                self.expected_case = RU_ORDER_LEMMAS[lemma]
                self.trigger = (at, end)
                self.take(at, end)
                return

    def _intent_en(self) -> None:
        for at in range(len(self.tokens)):
            for words in EN_TASK_PHRASES:
                if self.free(at, words) and (words[0] != "schedule" or at == 0):
                    self.intent = "task"
                    self.take(at, at + len(words))
                    return
        for at in range(len(self.tokens)):
            if at in self.taken:
                continue
            norm = self.norms[at]
            if (norm in EN_ORDER_WORDS or norm in EN_ORDER_AT_START) and at == self._first_word():
                self.trigger = (at, at + 1)
                self.take(at, at + 1)
                return

    def _first_word(self) -> int:
        """Where the phrase's words begin, past the deadline and priority said first and a "please"."""
        for at, token in enumerate(self.tokens):
            if at not in self.taken and token.is_word and token.norm not in OPENERS:
                return at
        return -1

    # -- subject ---------------------------------------------------------------------------------------------------
    def subject(self) -> str:
        self._take_please()
        kept = [at for at in range(len(self.tokens)) if at not in self.taken]
        fillers = RU_FILLERS if self.language == "ru" else EN_FILLERS
        while kept and (self.norms[kept[0]] in fillers or not self._wordlike(kept[0])):
            kept.pop(0)
        while kept and (self.norms[kept[-1]] in fillers or not self._wordlike(kept[-1])):
            if self.norms[kept[-1]] in (")", "»", '"'):
                break
            kept.pop()
        if not kept:
            return ""
        pieces: list[str] = []
        previous = None
        for at in kept:
            token = self.tokens[at]
            if previous is not None:
                gap = self.text[self.tokens[previous].end:token.start] if at == previous + 1 else " "
                pieces.append(gap if gap.strip() == "" else " ")
            pieces.append(token.text)
            previous = at
        subject = "".join(pieces)
        subject = re.sub(r"\s+([,.;:!?])", r"\1", subject)
        subject = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", subject)
        subject = re.sub(r"\s+", " ", subject).strip(" ,;:—-")
        if self.language == "en":
            subject = re.sub(r"\b([Aa])n (?=[b-df-hj-np-tv-z])", r"\1 ", subject)
        subject = self._infinitive_first(subject)
        return subject[:1].upper() + subject[1:]

    def _take_please(self) -> None:
        """"подготовьте, пожалуйста, справку" → "подготовьте справку": politeness with its commas."""
        for at, norm in enumerate(self.norms):
            if norm in ("пожалуйста", "please"):
                self.take(at, at + 1)
                before, after = at - 1, at + 1
                if after < len(self.tokens) and self.norms[after] == ",":
                    self.take(after, after + 1)
                if before >= 0 and self.norms[before] == ",":
                    self.take(before, before + 1)

    def _wordlike(self, at: int) -> bool:
        return self.tokens[at].is_word or self.tokens[at].num is not None

    def _infinitive_first(self, subject: str) -> str:
        """"подготовит справку" (after "пусть Иванов") → "подготовить справку": the subject as an instruction."""
        if self.language != "ru" or not subject:
            return subject
        first, _space, rest = subject.partition(" ")
        readings = parses(fold(first))
        if readings and readings[0].tag.POS == "VERB" and (
                readings[0].tag.person in ("2per", "3per") or readings[0].tag.mood == "impr"):
            # "подготовит", "подготовьте" are instructions; "жду" (the speaker's own) stays as said
            infinitive = readings[0].normal_form
            return f"{infinitive} {rest}".strip() if rest else infinitive
        return subject


def _named(reading: _Reading, index: people.StaffIndex, slot: executors.Slot) -> Named:
    """One executor named: the person when one matched clearly, else the near ones (or none) to choose from."""
    named = Named(executors.words_of(reading.text, reading.tokens, slot))
    if slot.mention is None:
        return named
    matches = people.person_matches(index, slot.mention)
    if reading.expected_case and not slot.mention.agrees_with(reading.expected_case):
        named.candidates = matches  # "поручить Петрову" where only Петрова works: offered, not chosen
    elif len(matches) == 1:
        named.person = matches[0]
    else:
        named.candidates = matches
    return named


def _language(text: str, language: str | None) -> str:
    code = (language or "").split("-")[0].split("_")[0].casefold()
    return code if code in LANGUAGES else detect_language(text)


def parse(text: str, *, user: Any, language: str | None = None, today: date | None = None,
          staff: people.StaffIndex | None = None, calendar: dates.Calendar | None = None) -> Draft:
    """Read ``text`` (what ``user`` dictated) into a draft order or task.

    ``language`` is "ru" or "en" (a locale such as "ru-RU" is taken by its language; None: told from the letters).
    ``today`` is the day the relative deadlines count from (the local date by default). ``staff`` is the people
    who may be named (by default those ``user`` may give orders to, built once per request), ``calendar`` the
    working-day arithmetic (``krai.core.workcalendar`` by default).
    """
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    language = _language(text, language)
    reading = _Reading(text, language)
    draft = Draft(text=text, language=language)

    deadline = dates.find_deadline(reading.tokens, language, today, text, calendar)
    if deadline is not None:
        reading.take(deadline.start, deadline.end)
        draft.deadline, draft.deadline_words = deadline.day, deadline.words
    draft.priority = reading.priority()
    reading.read_intent()
    draft.intent = reading.intent

    if draft.intent == "task":
        if user is not None and getattr(user, "pk", None) is not None:
            draft.executor = PersonMatch(user.pk, getattr(user, "full_name", str(user)), "", 1.0)
    else:
        index = staff if staff is not None else people.staff_index_for(user)
        draft.executors = [_named(reading, index, slot) for slot in executors.read(reading, index)]
        if draft.executors:
            draft.executor, draft.candidates = draft.executors[0].person, draft.executors[0].candidates
        if not draft.executors or any(named.person is None for named in draft.executors):
            draft.missing.append("executor")
    draft.subject = reading.subject()
    if draft.deadline is None:
        draft.missing.append("deadline")
    if not draft.subject:
        draft.missing.append("subject")
    return draft
