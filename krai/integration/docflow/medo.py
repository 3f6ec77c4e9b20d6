"""Reading a MEDO-style package: hardened XML parsing, validation against ``schema/medo.xsd``, and the package as
plain data.

The format is **modelled on, not certified against** the federal interdepartmental electronic document exchange
(МЭДО, the xdms "Формат 2.7" communication): a header (message type, uid, time, source organisation), a document
(kind, number and date, annotation, signatory) with its order items (number, text, deadline, the responsible
executor — an organisation by code or INN or name, optionally a person by surname and initials — and
co-executors), or a notification answering an earlier package. Names and structure are Krai's own.

Hostile input: the parser never resolves entities, never reads the network, never loads a DTD and refuses
huge trees; a package that declares a DOCTYPE is refused outright (no XXE, no billion laughs). Errors name the
line and the element, in the reader's language; lxml's own English text is kept as ``detail`` for the log.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

NS = "urn:krai:docflow:medo:2.7"
VERSION = "2.7"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "medo.xsd"
_Q = f"{{{NS}}}"
_ELEMENT = re.compile(r"Element '(?:\{[^}]*\})?([\w.-]+)'(?:, attribute '([\w.:-]+)')?")
_VALUE = re.compile(r"(?:The value )?'([^']{0,80})' (?:is not (?:a valid value|accepted|facet-valid)|does not match)")
_EXPECTED = re.compile(r"Expected is(?: one of)? \(\s*([^)]*)\)")
_ATTRIBUTE = re.compile(r"The attribute '([\w.:-]+)'")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package: where (line, element) and why, in the reader's language."""

    line: int | None
    element: str
    message: str
    detail: str = ""

    def text(self) -> str:
        if self.line and self.element:
            return _("Line %(line)s, element <%(element)s>: %(message)s") % {
                "line": self.line, "element": self.element, "message": self.message}
        if self.line:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message

    def as_dict(self) -> dict:
        return {"line": self.line, "element": self.element, "message": self.message, "detail": self.detail[:500]}


class PackageInvalid(Exception):
    """The package cannot be read or does not match the schema; ``problems`` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.text() for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class OrganisationRef:
    code: str = ""
    inn: str = ""
    name: str = ""

    def label(self) -> str:
        parts = [self.name] if self.name else []
        parts += [f"code {self.code}"] if self.code else []
        parts += [f"INN {self.inn}"] if self.inn else []
        return ", ".join(parts)


@dataclass(frozen=True)
class PersonRef:
    surname: str
    initials: str = ""


@dataclass(frozen=True)
class ExecutorRef:
    organisation: OrganisationRef
    person: PersonRef | None
    line: int | None

    def label(self) -> str:
        text = self.organisation.label()
        if self.person is not None:
            text += f" ({self.person.surname} {self.person.initials})".rstrip()
        return text


@dataclass(frozen=True)
class Task:
    number: str
    text: str
    deadline: date | None
    executor: ExecutorRef
    coexecutors: tuple[ExecutorRef, ...]
    line: int | None


@dataclass
class Package:
    """An incoming document package, as read from its XML."""

    uid: str
    created: datetime | None
    source: OrganisationRef
    document_kind: str
    document_number: str
    document_date: date
    annotation: str = ""
    signatory: str = ""
    tasks: list[Task] = field(default_factory=list)


def parser() -> etree.XMLParser:
    """The one parser for packages from outside: no entities, no network, no DTD, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_pis=True, collect_ids=False)


@functools.cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser()))


def max_bytes() -> int:
    return int(getattr(settings, "KRAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def _reason(error: etree._LogEntry) -> tuple[str, str]:
    """(element, reason in the reader's language) of one schema error."""
    found = _ELEMENT.search(error.message or "")
    element = ""
    if found:
        element = f"{found.group(1)} @{found.group(2)}" if found.group(2) else found.group(1)
    kind, message = error.type_name or "", error.message or ""
    value = _VALUE.search(message)
    if kind == "SCHEMAV_CVC_ELT_1":
        return element, _("this is not a package of the expected format (unknown root element or namespace).")
    if kind == "SCHEMAV_ELEMENT_CONTENT":
        expected = _EXPECTED.search(message)
        names = ", ".join(re.sub(r"\{[^}]*\}", "", n).strip() for n in expected.group(1).split(",")) if expected else ""
        if "Missing child element" in message:
            return element, _("a required element is missing: %(names)s.") % {"names": names or "?"}
        if names:
            return element, _("this element is not expected here (expected: %(names)s).") % {"names": names}
        return element, _("this element is not expected here.")
    if kind == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        name = _ATTRIBUTE.search(message)
        return element, _("the required attribute “%(name)s” is missing.") % {"name": name.group(1) if name else "?"}
    if kind.startswith("SCHEMAV_CVC_COMPLEX_TYPE_3"):
        name = _ATTRIBUTE.search(message)
        return element, _("the attribute “%(name)s” is not allowed here.") % {"name": name.group(1) if name else "?"}
    if kind.startswith("SCHEMAV_CVC_COMPLEX_TYPE_2"):
        return element, _("this element may not hold text or elements here.")
    if value is not None or "DATATYPE" in kind or "FACET" in kind or kind.startswith(("SCHEMAV_CVC_PATTERN",
                                                                                       "SCHEMAV_CVC_ENUMERATION",
                                                                                       "SCHEMAV_CVC_MAX",
                                                                                       "SCHEMAV_CVC_MIN",
                                                                                       "SCHEMAV_CVC_LENGTH",
                                                                                       "SCHEMAV_CVC_ATTRIBUTE",
                                                                                       "SCHEMAV_CVC_ELT_5")):
        shown = value.group(1) if value is not None else ""
        return element, _("the value “%(value)s” is not allowed here (a wrong date, code, choice or length).") % {
            "value": shown}
    return element, _("this does not match the format of the package.")


def parse(content: bytes) -> etree._ElementTree:
    """The package's XML tree, validated against the schema; ``PackageInvalid`` when it is not."""
    if not content or not content.strip():
        raise PackageInvalid([Problem(None, "", _("The package is empty."))])
    if len(content) > max_bytes():
        raise PackageInvalid([Problem(None, "", _("The package is larger than the limit of %(n)s bytes.")
                                      % {"n": max_bytes()})])
    try:
        tree = etree.ElementTree(etree.fromstring(content, parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise PackageInvalid([Problem(line, "", _("the file is not well-formed XML."), detail=str(exc.msg))]) from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise PackageInvalid([Problem(None, "", _("The package declares a document type (DOCTYPE); packages "
                                                  "with a DTD or entities are refused."))])
    validator = schema()
    if not validator.validate(tree):
        problems = []
        for error in validator.error_log:
            element, reason = _reason(error)
            problems.append(Problem(error.line or None, element, reason, detail=error.message or ""))
        raise PackageInvalid(problems[:50])
    return tree


def _text(node: etree._Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""


def _organisation(node: etree._Element) -> OrganisationRef:
    return OrganisationRef(code=(node.get("code") or "").strip(), inn=(node.get("inn") or "").strip(),
                           name=" ".join((node.text or "").split()))


def _person(node: etree._Element | None) -> PersonRef | None:
    if node is None:
        return None
    return PersonRef(surname=(node.get("surname") or "").strip(), initials=(node.get("initials") or "").strip())


def _executor(node: etree._Element) -> ExecutorRef:
    return ExecutorRef(organisation=_organisation(node.find(f"{_Q}organization")),
                       person=_person(node.find(f"{_Q}person")), line=node.sourceline)


def read_package(content: bytes) -> Package:
    """An incoming document package (its order items) from its bytes; ``PackageInvalid`` otherwise."""
    root = parse(content).getroot()
    header = root.find(f"{_Q}header")
    if header.get("type") != "document" or root.find(f"{_Q}document") is None:
        raise PackageInvalid([Problem(header.sourceline, "header @type",
                                      _("this is a notification; a package must bring a document with order items."))])
    document = root.find(f"{_Q}document")
    num = document.find(f"{_Q}num")
    signatory = document.find(f"{_Q}signatory")
    tasks = []
    for node in root.find(f"{_Q}tasks").iterfind(f"{_Q}task"):
        deadline = _text(node.find(f"{_Q}deadline"))
        coexecutors = node.find(f"{_Q}coexecutors")
        tasks.append(Task(
            number=_text(node.find(f"{_Q}number")), text=_text(node.find(f"{_Q}text")),
            deadline=date.fromisoformat(deadline) if deadline else None,
            executor=_executor(node.find(f"{_Q}executor")),
            coexecutors=tuple(_executor(n) for n in coexecutors.iterfind(f"{_Q}executor"))
            if coexecutors is not None else (), line=node.sourceline))
    signed = ""
    if signatory is not None:
        signed = " ".join(filter(None, [signatory.get("post", ""), signatory.get("surname", ""),
                                        signatory.get("initials", "")])).strip()
    return Package(uid=header.get("uid"), created=parse_datetime(header.get("created") or ""),
                   source=_organisation(header.find(f"{_Q}source/{_Q}organization")),
                   document_kind=_text(document.find(f"{_Q}kind")), document_number=_text(num.find(f"{_Q}number")),
                   document_date=date.fromisoformat(_text(num.find(f"{_Q}date"))),
                   annotation=_text(document.find(f"{_Q}annotation")), signatory=signed[:400], tasks=tasks)


def peek_uid(content: bytes) -> str:
    """The header's uid of a package that may be invalid (for the log of a refusal), or ''."""
    try:
        root = etree.fromstring(content, parser())
    except (etree.XMLSyntaxError, ValueError):
        return ""
    header = root.find(f"{_Q}header")
    uid = (header.get("uid") or "") if header is not None else ""
    return uid[:100] if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:{}\-]{0,99}", uid) else ""
