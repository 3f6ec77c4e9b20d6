"""What the phrase reader answers: a draft for the person to confirm, with what it could not find said, not guessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PersonMatch:
    """A member of staff the phrase names: his id, full name, unit and how sure the match is (0…1)."""

    user_id: int
    full_name: str
    unit: str
    score: float


@dataclass
class Named:
    """One executor the phrase names: the words as said («Иванову», "Sergey Ivanov"), the person when one matched
    clearly, else the near ones to choose from (none: nobody here has that name)."""

    words: str
    person: PersonMatch | None = None
    candidates: list[PersonMatch] = field(default_factory=list)


@dataclass
class Draft:
    """A phrase read into a draft. ``intent`` is ``order`` (someone else is to do it: an order to issue) or ``task``
    (a reminder for oneself: a planner task). ``executors`` are the people the phrase names in the order said
    ("поручить Иванову и Петровой …"): the first is responsible, the others co-executors. ``executor`` and
    ``candidates`` are the first one's: ``executor`` is set only when one person matched clearly; otherwise
    ``candidates`` lists the near ones for the person to choose (for a task ``executor`` is the speaker and
    ``executors`` is empty). ``missing`` names what must be asked for (``executor`` — any of the executors,
    ``deadline``, ``subject``) — a draft with something missing cannot be confirmed as it stands."""

    text: str
    language: str
    intent: str = "order"
    subject: str = ""
    executor: PersonMatch | None = None
    candidates: list[PersonMatch] = field(default_factory=list)
    executors: list[Named] = field(default_factory=list)
    deadline: date | None = None
    deadline_words: str = ""  # the words the deadline was read from, shown beside it
    priority: str = "normal"  # normal | high | urgent
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def executor_words(self) -> list[str]:
        """The words that named each executor, as said, in the order of ``executors``."""
        return [named.words for named in self.executors]

    @property
    def co_executors(self) -> list[Named]:
        return self.executors[1:]
