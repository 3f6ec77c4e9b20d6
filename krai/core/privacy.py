"""Residents' personal data: one mask for every public channel, and the erasure of a person.

``mask_personal(text)`` is the public version of a resident's free text: phone numbers in their usual
Russian spellings, e-mail addresses, SNILS and passport numbers become ``MASK``; ordinary numbers (years,
house numbers, amounts, dates, cadastral numbers, organisations' INN) stay. Pages, the API, Open311,
open data and exports show residents' texts only through it (``docs/problems.md``).

Erasure: deleting an account (``krai.accounts.services.account_anonymise``) calls ``erase_person``
inside its transaction, before the person's own fields are wiped. Every area that keeps what people
write registers an eraser (``register_eraser``) from a module the events app imports at start-up (its
``subscribers`` module), so ``accounts`` — below the areas — never imports them. An eraser anonymises
the person's texts with ``Erasure.scrub`` and cuts his links, and names the objects it touched
(``Erasure.touch``); the kernel then scrubs the domain events and audit entries of those objects and of
the person, his notifications and search entries. The registry runs synchronously: when the service
returns, nothing of him is left, and no event has to carry his name to a subscriber for that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MASK = "[…]"

_SEP = r"[ \t\-–]?"  # one separator between groups of digits: space, hyphen or dash
_LOCAL7 = rf"(?:\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{2}}|\d{{3}}{_SEP}\d{{4}})"
_LOCAL6 = rf"(?:\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}|\d{{3}}{_SEP}\d{{3}})"
_LOCAL5 = rf"(?:\d{_SEP}\d{{2}}{_SEP}\d{{2}}|\d{{5}})"


def _code(digits: int) -> str:
    return rf"(?:\(\s?\d{{{digits}}}\s?\)|\d{{{digits}}})"


#: +7 / 8 / 7, then a 3-, 4- or 5-digit code (in brackets or not) and the rest of the ten digits
_PHONE = re.compile(
    rf"(?<![\w+])(?:\+\s?7|8|7){_SEP}\s?"
    rf"(?:{_code(3)}\s?{_SEP}\s?{_LOCAL7}|{_code(4)}\s?{_SEP}\s?{_LOCAL6}|{_code(5)}\s?{_SEP}\s?{_LOCAL5})(?![\d])")
#: a local number (5–7 digits) right after a word that says it is a phone: "тел. 123-45-67"
_LABELLED_PHONE = re.compile(
    r"(?i)(?<![\w])((?:тел(?:ефон)?|т|моб(?:ильный)?|сот(?:овый)?|phone|tel|ph)\.?\s*[:.]?\s*)"
    rf"(?:{_LOCAL7}|{_LOCAL6}|{_LOCAL5})(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: SNILS in its printed shape: 123-456-789 01 (or spaced)
_SNILS = re.compile(r"(?<![\w-])\d{3}([ \-])\d{3}\1\d{3}[ \-]\d{2}(?![\w-])")
#: an unformatted SNILS only where the text says it is one
_LABELLED_SNILS = re.compile(r"(?i)(снилс\w*\s*[:№N]?\s*)\d{11}(?!\d)")
#: a passport's series and number: "45 06 123456", "4506 123456"; unformatted only after "паспорт"/"серия"
_PASSPORT = re.compile(r"(?<![\w-])\d{2} ?\d{2} \d{6}(?![\w-])")
_LABELLED_PASSPORT = re.compile(
    r"(?i)((?:паспорт\w*|серия)(?:\s+(?:рф|гражданина\s+рф|серия))?\s*[:№N]?\s*)"
    r"\d{2}\s?\d{2}\s*(?:(?:№|N|номер|no\.?)\s*)?\d{6}(?!\d)")


def mask_personal(text: str) -> str:
    """The public version of a resident's text: phones, e-mails, SNILS and passport numbers masked.

    Idempotent (the mask holds no digits), so a text masked when written may be masked again on output.
    """
    if not text:
        return text or ""
    text = _EMAIL.sub(MASK, text)
    text = _LABELLED_SNILS.sub(lambda m: m.group(1) + MASK, text)
    text = _SNILS.sub(MASK, text)
    text = _LABELLED_PASSPORT.sub(lambda m: m.group(1) + MASK, text)
    text = _PHONE.sub(MASK, text)
    text = _LABELLED_PHONE.sub(lambda m: m.group(1) + MASK, text)
    return _PASSPORT.sub(MASK, text)


# --- erasure ---------------------------------------------------------------------------------------

def _word_pattern(word: str) -> str:
    # a name also in its other cases ("Петров" → "Петрова", "Петровым"): the word and its ending; a short
    # name ("Ян", "Лев") only as a whole word, or it would eat "январь" and "левый"
    if len(word) < 4:
        return rf"(?<![\w]){re.escape(word)}(?![\w])"
    return rf"(?<![\w]){re.escape(word)}\w*"


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return None
    national = digits[-10:]
    gap = r"[\s()\-–.]*"
    return r"(?<!\d)(?:(?:\+\s?7|8|7)" + gap + r")?" + gap.join(national) + r"(?!\d)"


@dataclass
class Erasure:
    """One person being erased: what identifies him in texts, and what the areas touched."""

    user_id: int
    email: str = ""
    phone: str = ""
    names: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    subjects: set[tuple[str, str, str]] = field(default_factory=set)
    _pattern: re.Pattern | None = field(default=None, init=False, repr=False)

    @classmethod
    def of(cls, user: Any) -> Erasure:
        names = tuple(sorted({str(n).strip() for n in (getattr(user, "surname", ""), getattr(user, "given_name", ""),
                                                        getattr(user, "patronymic", "")) if len(str(n).strip()) > 1},
                             key=len, reverse=True))
        return cls(user_id=user.pk, email=(user.email or "").strip(), phone=(getattr(user, "phone", "") or ""),
                   names=names)

    @property
    def pattern(self) -> re.Pattern | None:
        if self._pattern is None:
            parts = [re.escape(self.email)] if self.email else []
            if self.email and "@" in self.email and len(self.email.split("@")[0]) > 2:
                parts.append(rf"(?<![\w.]){re.escape(self.email.split('@')[0])}(?![\w])")
            phone = _phone_pattern(self.phone)
            if phone:
                parts.append(phone)
            parts += [_word_pattern(name) for name in self.names]
            self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        return self._pattern

    def scrub(self, text: str) -> str:
        """``text`` without the person's names, e-mail and phone, and with all personal data masked."""
        if not text:
            return text or ""
        if self.pattern is not None:
            text = self.pattern.sub(MASK, text)
        return mask_personal(text)

    def scrub_mentions(self, text: str) -> str:
        """Someone else's text about the person (an official answer, a reply): only his names, e-mail, phone go."""
        if not text or self.pattern is None:
            return text or ""
        return self.pattern.sub(MASK, text)

    def scrub_json(self, value: Any) -> Any:
        """A JSON value with every string in it scrubbed (keys too)."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_json(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(str(key)): self.scrub_json(item) for key, item in value.items()}
        return value

    def touch(self, obj: Any) -> None:
        """Say that ``obj`` held the person's data: its events and audit entries get scrubbed too."""
        meta = obj._meta
        self.subjects.add((meta.app_label, meta.model_name, str(obj.pk)))

    def count(self, area: str, n: int) -> None:
        self.counts[area] = self.counts.get(area, 0) + int(n)


Eraser = Callable[[Erasure], None]
_erasers: dict[str, tuple[int, Eraser]] = {}

#: orders of erasers: the areas first, then the control engine (assignments about what the areas touched),
#: then what hangs under anything (comments); each later one reads ``Erasure.subjects``
AREAS, ENGINE, AFTER_AREAS = 100, 150, 200


def register_eraser(name: str, eraser: Eraser, *, order: int = AREAS) -> Eraser:
    """Register an area's part of erasure (``eraser(erasure)``, run inside the deleting transaction).

    Erasers run by ``order`` then name; one registered with ``AFTER_AREAS`` sees what the areas touched.
    """
    _erasers[name] = (order, eraser)
    return eraser


# --- "download my data" ------------------------------------------------------------------------------

Exporter = Callable[[Any], Any]
_exporters: dict[str, Exporter] = {}


def register_exporter(name: str, exporter: Exporter) -> Exporter:
    """Register an area's part of "download my data": ``exporter(user)`` returns a JSON-ready value.

    Accounts' export (``krai.accounts.selectors.user_data_export``) adds each under its name, so an area above
    accounts gives a person what it holds about him without accounts importing it.
    """
    _exporters[name] = exporter
    return exporter


def exported_sections(user: Any) -> dict[str, Any]:
    """Every registered area's part of a person's data, by name."""
    return {name: exporter(user) for name, exporter in sorted(_exporters.items())}


def erasers() -> list[tuple[str, Eraser]]:
    return [(name, entry[1]) for name, entry in sorted(_erasers.items(), key=lambda item: (item[1][0], item[0]))]


def erase_person(*, user: Any) -> Erasure:
    """Anonymise everything ``user`` wrote, in every area, then the kernel's copies; call inside a transaction.

    Call it before the user's own fields are wiped: the areas find his texts by his name, e-mail and phone.
    """
    erasure = Erasure.of(user)
    erasure.touch(user)
    for _name, eraser in erasers():
        eraser(erasure)
    _erase_kernel(erasure)
    return erasure


def _subjects_q(erasure: Erasure, type_field: str, id_field: str) -> Any:
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    by_type: dict[tuple[str, str], list[str]] = {}
    for app_label, model, pk in erasure.subjects:
        by_type.setdefault((app_label, model), []).append(pk)
    q = Q(pk__in=[])
    for (app_label, model), ids in by_type.items():
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        q |= Q(**{type_field: content_type, f"{id_field}__in": ids})
    return q


def _erase_kernel(erasure: Erasure) -> None:
    """The kernel's copies: events and audit entries (payloads, names as written), notifications, search, files."""
    from django.apps import apps

    event_ids = _erase_events(erasure)
    if apps.is_installed("krai.core.audit"):
        _erase_audit(erasure, event_ids)
    if apps.is_installed("krai.core.notifications"):
        from krai.core.notifications.models import Notification

        erasure.count("notifications", Notification.objects.filter(user_id=erasure.user_id).delete()[0])
        for note in Notification.objects.filter(event_id__in=event_ids).iterator(chunk_size=500):
            Notification.objects.filter(pk=note.pk).update(title=erasure.scrub(note.title)[:300],
                                                           body=erasure.scrub(note.body))
    if apps.is_installed("krai.core.search"):
        _erase_search(erasure)
    if apps.is_installed("krai.core.files"):
        from krai.core.files.models import Attachment

        for attachment in Attachment.objects.filter(uploaded_by_id=erasure.user_id):
            # a file's name is often the person's ("ivanov_pasport.jpg"): keep only its extension
            name = attachment.original_name
            extension = name.rsplit(".", 1)[-1][:10] if "." in name else ""
            Attachment.objects.filter(pk=attachment.pk).update(
                original_name=f"file-{attachment.pk}" + (f".{extension}" if extension else ""))


def _erase_events(erasure: Erasure) -> list[int]:
    """Scrub the payloads of the events he caused and of those about what he wrote; return all their ids."""
    from django.db.models import Q

    from krai.core.events.models import Event

    events = Event.objects.filter(Q(actor_id=erasure.user_id) | _subjects_q(erasure, "subject_type", "subject_id"))
    event_ids = []
    for pk, payload in events.values_list("pk", "payload").iterator(chunk_size=500):
        event_ids.append(pk)
        scrubbed = erasure.scrub_json(payload)
        if scrubbed != payload:
            Event.objects.filter(pk=pk).update(payload=scrubbed)
    return event_ids


def _erase_audit(erasure: Erasure, event_ids: list[int]) -> None:
    """His audit entries lose his name as written, his address and browser; the copies of events, their texts."""
    from django.db.models import Q

    from krai.core.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(
        Q(actor_id=erasure.user_id) | Q(event_id__in=event_ids) | _subjects_q(erasure, "subject_type", "subject_id")
        | (Q(actor_repr__iexact=erasure.email) if erasure.email else Q(pk__in=[])))
    for entry in entries.iterator(chunk_size=500):
        own = entry.actor_id == erasure.user_id or (bool(erasure.email)
                                                     and entry.actor_repr.lower() == erasure.email.lower())
        AuditEntry.objects.filter(pk=entry.pk).update(
            actor_repr="" if own else erasure.scrub_mentions(entry.actor_repr),
            subject_repr=erasure.scrub(entry.subject_repr), payload=erasure.scrub_json(entry.payload),
            # where he came from is his personal data as much as his name
            ip_address=None if own else entry.ip_address, user_agent="" if own else entry.user_agent)


def _erase_search(erasure: Erasure) -> None:
    from django.db import connection

    from krai.core.search.models import SearchEntry

    entries = SearchEntry.objects.filter(_subjects_q(erasure, "content_type", "object_id"))
    for entry in entries:
        SearchEntry.objects.filter(pk=entry.pk).update(title=erasure.scrub(entry.title)[:500] or "—",
                                                       body=erasure.scrub(entry.body))
    if connection.vendor == "postgresql":  # SQLite's full-text table follows by its triggers
        from django.contrib.postgres.search import SearchVector

        entries.update(search_vector=SearchVector("title", weight="A", config="russian")
                       + SearchVector("body", weight="B", config="russian"))
