"""Deadlines said in words, Russian and English: read from a phrase's tokens into a date, with the words they came from.

What is read (``today`` is the day the phrase is read on):

* ``сегодня``/``today``, ``завтра``/``tomorrow``, ``послезавтра``/``the day after tomorrow``;
* a weekday ("до пятницы", "к пятнице", "в пятницу", "by Friday"): the next such day strictly after today (said on a
  Friday, "до пятницы" is a week later); with "следующей"/"next" the such day of next week (Monday to Sunday);
* the end of a period ("до конца недели/месяца/квартала/года", "к концу декабря", "by the end of the month",
  "end of the week"): the period's last day, moved back to a working day (as the order engine moves a deadline that
  falls on a day off); "на этой/следующей неделе", "this/next week" mean the end of that week;
* a span ("через две недели", "через 3 дня", "в течение пяти рабочих дней", "в трёхдневный срок", "in two weeks",
  "within 3 working days", "within a week"): calendar days, weeks and months from today; working days through
  ``krai.core.workcalendar`` (the n-th working day after today);
* a date ("к 25 декабря", "до 25.12", "25.12.2027", "by December 25", "by 25 December", "by the 25th of December",
  "к двадцать пятому декабря", "by the 25th", "к 25-му числу"): without a year it is the next such date from today
  on ("к 10 января" said in December is next year's); a day without a month is this month's, or next month's when
  it has passed.

Numbers may be digits or words in both languages. Anything else is not a deadline: the reader says it is missing,
it never guesses. A bare date with a preposition that makes it something else ("отчёт за 5 мая", "report for May 5",
"after Friday") is not taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from krai.planner.voice.days import add_months, day_month, day_of_month, month_end, next_weekday, period_end
from krai.planner.voice.text import Token, fold, parses

RU_WEEKDAYS = {"понедельник": 0, "вторник": 1, "среда": 2, "четверг": 3, "пятница": 4, "суббота": 5,
               "воскресенье": 6, "воскресение": 6}  # pymorphy3 takes "воскресенье" for a form of "воскресение"
EN_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
               "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
RU_MONTHS = {"январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7, "август": 8,
             "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12}
EN_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
             "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
             "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
RU_UNITS = {"день": "day", "сутки": "day", "неделя": "week", "месяц": "month", "год": "year"}
EN_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
            "year": "year", "years": "year"}
RU_PERIODS = {"день": "day", "неделя": "week", "месяц": "month", "квартал": "quarter", "год": "year"}
EN_PERIODS = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
#: "в трёхдневный срок": the number in front of "-дневный", "-недельный", "-месячный"
RU_COMPOUND_NUMBERS = {"одно": 1, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8,
                       "девяти": 9, "десяти": 10, "пятнадцати": 15, "двадцати": 20, "тридцати": 30, "": 1}
RU_COMPOUND_UNITS = {"дневный": "day", "дневной": "day", "недельный": "week", "месячный": "month"}

#: words in front of a deadline, longest first; they belong to the deadline's words
RU_PREFIXES = [("к", "вечеру"), ("до", "вечера"), ("к", "утру"), ("до", "утра"), ("к", "обеду"), ("до", "обеда"),
               ("к", "концу", "дня"),
               ("не", "позднее", "чем"), ("не", "позже", "чем"), ("не", "позднее"), ("не", "позже"),
               ("в", "срок", "до"), ("сроком", "до"), ("срок", "исполнения"), ("срок", "до"), ("в", "течение"),
               ("в", "течении"), ("в", "пределах"), ("сроком", "на"), ("сроком",), ("срок",), ("до",), ("к",),
               ("ко",), ("по",), ("на",), ("в",), ("во",), ("через",)]
EN_PREFIXES = [("no", "later", "than"), ("not", "later", "than"), ("due", "by"), ("due", "on"), ("deadline",),
               ("due",), ("by",), ("before",), ("until",), ("till",), ("on",), ("for",), ("at",), ("within",),
               ("in",)]
#: a date after these is what the work is about, not when it is due
RU_BLOCKERS = {"о", "об", "от", "с", "со", "про", "после", "начиная", "из", "за"}
EN_BLOCKERS = {"about", "from", "of", "since", "after", "regarding", "dated"}
#: a number of days is a deadline only after these ("на две недели", "for two weeks" is how long, not by when)
SPAN_PREFIXES_RU = {("через",), ("в", "течение"), ("в", "течении"), ("в", "пределах"), ("сроком", "на"),
                    ("сроком",), ("срок",), ("срок", "исполнения"), ("не", "позднее", "чем"), ("не", "позже", "чем")}
SPAN_PREFIXES_EN = {("in",), ("within",)}


@dataclass(frozen=True)
class Deadline:
    """A deadline found: the day, the tokens it was read from (``start``…``end`` exclusive, prefix included) and
    those words as written."""

    day: date
    start: int
    end: int
    words: str
    prefixed: bool


@dataclass(frozen=True)
class Calendar:
    """The working-day arithmetic the reader needs (``krai.core.workcalendar`` unless a caller brings its own)."""

    add_working_days: Callable[[date, int], date]
    previous_working_day: Callable[[date], date]


def default_calendar() -> Calendar:
    from krai.core.workcalendar import selectors

    return Calendar(selectors.add_working_days, selectors.previous_working_day)


def _lemma(token: Token) -> str:
    found = parses(token.norm)
    return fold(found[0].normal_form) if found else token.norm


def _weekday(token: Token, language: str) -> int | None:
    if not token.is_word:
        return None
    if language == "en":
        return EN_WEEKDAYS.get(token.norm)
    return RU_WEEKDAYS.get(_lemma(token))


def _month(token: Token | None, language: str) -> int | None:
    if token is None or not token.is_word:
        return None
    if language == "en":
        return EN_MONTHS.get(token.norm.rstrip("."))
    return RU_MONTHS.get(_lemma(token))


class _Reader:
    """Tries every pattern at every place of the phrase (a few dozen tokens: simple and quick)."""

    def __init__(self, tokens: list[Token], language: str, today: date, calendar: Calendar) -> None:
        self.tokens, self.language, self.today, self.calendar = tokens, language, today, calendar
        self.norms = [token.norm for token in tokens]

    def norm(self, index: int) -> str:
        return self.norms[index] if 0 <= index < len(self.norms) else ""

    def lemma(self, index: int) -> str:
        if not 0 <= index < len(self.tokens) or not self.tokens[index].is_word:
            return ""
        return _lemma(self.tokens[index]) if self.language == "ru" else self.norms[index]

    def num(self, index: int) -> Token | None:
        if 0 <= index < len(self.tokens) and self.tokens[index].num is not None:
            return self.tokens[index]
        return None

    def is_next(self, index: int) -> bool:
        if self.language == "en":
            return self.norm(index) in ("next", "following")
        return self.lemma(index) in ("следующий", "будущий")

    def is_this(self, index: int) -> bool:
        if self.language == "en":
            return self.norm(index) in ("this", "coming", "current")
        return self.lemma(index) in ("этот", "текущий", "ближайший")

    def working(self, end: date) -> date:
        return self.calendar.previous_working_day(end)

    # -- patterns: each returns (day, end index) for a match starting at ``index``
    def relative_day(self, index: int) -> tuple[date, int] | None:
        word = self.norm(index)
        if self.language == "ru":
            shift = {"сегодня": 0, "сегодняшнего": 0, "сегодняшнему": 0, "завтра": 1, "завтрашнего": 1,
                     "завтрашнему": 1, "послезавтра": 2}.get(word)
            if shift is None:
                return None
            end = index + 1 + (self.norm(index + 1) in ("дня", "дню"))
            return self.today + timedelta(days=shift), end
        if word in ("today", "tonight"):
            return self.today, index + 1
        if word == "tomorrow":
            return self.today + timedelta(days=1), index + 1
        if word == "day" and self.norm(index + 1) == "after" and self.norm(index + 2) == "tomorrow":
            return self.today + timedelta(days=2), index + 3
        if word == "the" and self.norm(index + 1) == "day":
            return self.relative_day(index + 1)
        return None

    def weekday(self, index: int) -> tuple[date, int] | None:
        start, next_week = index, False
        if self.norm(index) == "the":
            index += 1
        if self.is_next(index):
            next_week, index = True, index + 1
        elif self.is_this(index):
            index += 1
        weekday = _weekday(self.tokens[index], self.language) if index < len(self.tokens) else None
        if weekday is None or (self.norm(start) == "the" and index == start + 1):
            return None  # "the Friday" alone is not a deadline said; "the next Friday" is
        return next_weekday(self.today, weekday, next_week=next_week), index + 1

    def period(self, index: int) -> tuple[date, int] | None:
        """"конца недели", "концу следующего месяца", "конца декабря", "the end of the month", "end of day"."""
        if self.language == "ru":
            if self.lemma(index) != "конец":
                return None
            index += 1
        else:
            if self.norm(index) == "the":
                index += 1
            if self.norm(index) != "end":
                return None
            index += 1 + (self.norm(index + 1) == "of")
            if self.norm(index) == "the":
                index += 1
        shift = 0
        if self.is_next(index):
            shift, index = 1, index + 1
        elif self.is_this(index):
            index += 1
        if self.language == "ru" and self.norm(index) == "рабочего" and self.lemma(index + 1) == "день":
            index += 1
        periods = RU_PERIODS if self.language == "ru" else EN_PERIODS
        period = periods.get(self.lemma(index))
        if period is not None:
            end = period_end(self.today, period, shift=shift)
            return (end if period == "day" else self.working(end)), index + 1
        month = _month(self.tokens[index], self.language) if index < len(self.tokens) and not shift else None
        if month is not None:
            return self.working(month_end(self.today, month)), index + 1
        return None

    def week_of(self, index: int) -> tuple[date, int] | None:
        """"на этой/следующей неделе", "this/next week", "next month": the end of that period."""
        if not (self.is_next(index) or self.is_this(index)):
            return None
        shift = 1 if self.is_next(index) else 0
        periods = RU_PERIODS if self.language == "ru" else EN_PERIODS
        period = periods.get(self.lemma(index + 1))
        if period not in ("week", "month", "quarter", "year"):
            return None
        if self.language == "ru" and shift and self.norm(index - 1) in ("до", "к"):
            shift = 0  # "до следующей недели": before next week begins, that is by the end of this one
        if self.language == "en" and shift and self.norm(index - 1) in ("by", "before", "until", "till"):
            shift = 0
        return self.working(period_end(self.today, period, shift=shift)), index + 2

    def span(self, index: int) -> tuple[date, int] | None:
        """"две недели", "3 рабочих дня", "a week", "a couple of days", "five business days" (after their prefix)."""
        count, at = 1, index
        token = self.num(index)
        if token is not None and not token.ordinal:
            count, at = token.num or 0, index + 1
        elif self.language == "ru" and self.lemma(index) == "пара":
            count, at = 2, index + 1
        elif self.language == "en" and self.norm(index) in ("a", "an", "one"):
            at = index + 1
            if self.norm(at) == "couple" and self.norm(at + 1) == "of":
                count, at = 2, at + 2
        elif self.language == "en" and self.norm(index) == "couple" and self.norm(index + 1) == "of":
            count, at = 2, index + 2
        working = False
        if self.language == "ru" and self.lemma(at) in ("рабочий", "календарный"):
            working, at = self.lemma(at) == "рабочий", at + 1
        elif self.language == "en" and self.norm(at) in ("working", "business", "calendar"):
            working, at = self.norm(at) != "calendar", at + 1
        if self.language == "en" and self.norm(at) == "fortnight":
            return self.today + timedelta(days=14 * count), at + 1
        units = RU_UNITS if self.language == "ru" else EN_UNITS
        unit = units.get(self.lemma(at)) if self.language == "ru" else units.get(self.norm(at))
        if unit is None or count <= 0 or count > 366:
            return None
        if self.language == "en" and self.norm(at + 1) == "'" and self.norm(at + 2) == "time":
            end = at + 3  # "in ten days' time"
        else:
            end = at + 1 + (self.language == "en" and self.norm(at + 1) == "time")
        found = self._span_day(count, unit, working)
        return (found, end) if found else None

    def _span_day(self, count: int, unit: str, working: bool) -> date | None:
        if working and unit == "day":
            return self.calendar.add_working_days(self.today, count)
        if working:
            return None
        if unit == "day":
            return self.today + timedelta(days=count)
        if unit == "week":
            return self.today + timedelta(days=7 * count)
        if unit == "month":
            return add_months(self.today, count)
        return add_months(self.today, 12 * count)

    def compound_span(self, index: int) -> tuple[date, int] | None:
        """"в трёхдневный срок", "в 10-дневный срок", "в недельный срок"."""
        token = self.tokens[index] if index < len(self.tokens) else None
        if token is None or self.language != "ru":
            return None
        if token.num is not None and token.suffix in RU_COMPOUND_UNITS:
            count, unit = token.num, RU_COMPOUND_UNITS[token.suffix]
        else:
            for ending, ending_unit in RU_COMPOUND_UNITS.items():
                stem = token.norm[:-len(ending)] if token.norm.endswith(ending) else None
                if stem is not None and stem in RU_COMPOUND_NUMBERS:
                    count, unit = RU_COMPOUND_NUMBERS[stem], ending_unit
                    break
            else:
                return None
        if self.lemma(index + 1) != "срок":
            return None
        days = {"day": count, "week": 7 * count}.get(unit)
        found = self.today + timedelta(days=days) if days is not None else add_months(self.today, count)
        return found, index + 2

    def absolute(self, index: int) -> tuple[date, int] | None:
        """"25.12", "25.12.2027", "2026-12-25", "25 декабря (2027 года)", "December 25th", "the 25th of December"."""
        token = self.tokens[index]
        if "-" in token.norm and token.norm[:4].isdigit() and len(token.norm) == 10:
            try:
                return date.fromisoformat(token.norm), index + 1
            except ValueError:
                return None
        if "." in token.norm or "/" in token.norm:
            parts = token.norm.replace("/", ".").split(".")
            if len(parts) in (2, 3) and all(part.isdigit() for part in parts):
                year = int(parts[2]) if len(parts) == 3 else None
                found = day_month(self.today, int(parts[0]), int(parts[1]), year)
                return (found, index + 1) if found else None
            return None
        at = index
        if self.language == "en" and self.norm(at) == "the":
            at += 1
        day_token = self.num(at)
        if day_token is not None and 1 <= (day_token.num or 0) <= 31:
            month_at = at + 1
            if self.language == "en" and self.norm(month_at) == "of":
                month_at += 1
            if self.language == "ru" and self.norm(month_at) in ("числа", "числу", "число"):
                found = day_of_month(self.today, day_token.num or 0)
                return (found, month_at + 1) if found else None
            month = _month(self.tokens[month_at], self.language) if month_at < len(self.tokens) else None
            if month is None:
                if day_token.ordinal:
                    found = day_of_month(self.today, day_token.num or 0)
                    return (found, at + 1) if found and self._day_alone_allowed(index) else None
                return None
            year, end = self._year(month_at + 1)
            found = day_month(self.today, day_token.num or 0, month, year)
            return (found, end) if found else None
        month = _month(self.tokens[at], self.language) if self.language == "en" and at < len(self.tokens) else None
        if month is not None:
            day_at = at + 1 + (self.norm(at + 1) == "the")
            day_token = self.num(day_at)
            if day_token is None or not 1 <= (day_token.num or 0) <= 31:
                return None
            year, end = self._year(day_at + 1)
            found = day_month(self.today, day_token.num or 0, month, year)
            return (found, end) if found else None
        return None

    def _day_alone_allowed(self, index: int) -> bool:
        """A day of the month said alone ("к 25-му", "by the 25th") counts only after a deadline preposition."""
        before = self.norm(index - 1)
        return before in (("до", "к", "ко", "по") if self.language == "ru" else ("by", "before", "until", "till", "on"))

    def _year(self, index: int) -> tuple[int | None, int]:
        at = index + (self.norm(index) == ",")
        token = self.num(at)
        if token is not None and (2000 <= (token.num or 0) <= 2100) and not token.ordinal:
            end = at + 1
            if self.language == "ru" and self.norm(end) in ("года", "год", "г"):
                end += 1 + (self.norm(end + 1) == ".")
            return token.num, end
        return None, index

    PATTERNS = ("relative_day", "period", "week_of", "weekday", "compound_span", "span", "absolute")

    def prefix(self, index: int) -> tuple[int, bool]:
        """Where the deadline's words begin, taking in the prepositions in front of ``index``."""
        for words in (RU_PREFIXES if self.language == "ru" else EN_PREFIXES):
            size = len(words)
            if tuple(self.norms[index - size:index]) == words and index - size >= 0:
                return index - size, True
        return index, False

    def find(self) -> list[Deadline]:
        found: list[Deadline] = []
        index = 0
        while index < len(self.tokens):
            match, name = None, ""
            for name in self.PATTERNS:
                match = getattr(self, name)(index)
                if match is not None:
                    break
            if match is None:
                index += 1
                continue
            day, end = match
            start, prefixed = self.prefix(index)
            if self._acceptable(name, index, start, prefixed):
                outer = self.prefix(start)[0] if prefixed else start  # "не позднее чем через", "в срок до"
                found.append(Deadline(day, outer, end, "", prefixed))
            index = end
        return found

    def _acceptable(self, pattern: str, index: int, start: int, prefixed: bool) -> bool:
        """Whether a match counts: not after a word that makes it a topic, a span only after a span's words."""
        before = self.norm(index - 1)
        prefix = tuple(self.norms[start:index])
        if before in (RU_BLOCKERS if self.language == "ru" else EN_BLOCKERS):
            return False
        if pattern == "absolute" and self.language == "en" and prefix == ("for",):
            return False  # "a report for May 5" is about the day; "by May 5" is when
        if pattern == "span":
            return prefix in (SPAN_PREFIXES_RU if self.language == "ru" else SPAN_PREFIXES_EN)
        if pattern == "compound_span":
            return before in ("в", "во")
        # "в течение пятницы" is no deadline said that way
        return prefix not in (("в", "течение"), ("в", "течении"), ("в", "пределах"), ("через",), ("within",))


def find_deadline(tokens: list[Token], language: str, today: date, text: str = "",
                  calendar: Calendar | None = None) -> Deadline | None:
    """The phrase's deadline, or None. Of several, one said with a deadline preposition wins, then the last one."""
    reader = _Reader(tokens, language, today, calendar or default_calendar())
    found = reader.find()
    if not found:
        return None
    best = max(enumerate(found), key=lambda pair: (pair[1].prefixed, pair[0]))[1]
    words = text[tokens[best.start].start:tokens[best.end - 1].end] if text else \
        " ".join(token.text for token in tokens[best.start:best.end])
    return Deadline(best.day, best.start, best.end, words, best.prefixed)
