"""Answers back in the package's own format: a ``notification`` message (``schema/medo.xsd``) telling the sending
system what happened to one of its order items — registered (the order issued, with its number), executor
assigned (delegated or reassigned), report sent. Every message built is validated against the schema before it is
kept for delivery, so Krai never sends what it would itself refuse.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from lxml import etree

from krai.integration.docflow import medo

_Q = f"{{{medo.NS}}}"


def new_uid() -> str:
    return f"krai-{uuid.uuid4()}"


def _el(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    node = etree.SubElement(parent, f"{_Q}{name}", {k: v for k, v in attributes.items() if v})
    if text is not None:
        node.text = text
    return node


def _executor(parent: etree._Element, organisation, user) -> None:
    node = _el(parent, "executor")
    _el(node, "organization", organisation.name[:400], code=organisation.code[:64],
        inn=organisation.inn if organisation.inn and len(organisation.inn) in (10, 12) else "")
    if user is not None:
        initials = "".join(f"{part[0]}." for part in (user.given_name, user.patronymic) if part)
        _el(node, "person", surname=user.surname[:100], initials=initials)


def build(*, kind: str, uid: str, package, item, order, assignment, executor_organisation=None, executor_user=None,
          report_date: date | None = None, report_text: str = "") -> str:
    """The notification's XML text (UTF-8 declared), validated against the schema (``PackageInvalid`` if not)."""
    root = etree.Element(f"{_Q}communication", {"version": medo.VERSION}, nsmap={None: medo.NS})
    header = _el(root, "header", type="notification", uid=uid,
                 created=timezone.localtime().replace(microsecond=0).isoformat())
    source = _el(header, "source")
    _el(source, "organization", (getattr(settings, "KRAI_INSTALLATION_NAME", "") or "Krai")[:400],
        code=(getattr(settings, "KRAI_INSTALLATION_CODE", "") or "krai")[:64])
    note = _el(root, "notification", kind=kind)
    foundation = _el(note, "foundation", uid=package.uid)
    if package.document_number and package.document_date:
        num = _el(foundation, "num")
        _el(num, "number", package.document_number)
        _el(num, "date", package.document_date.isoformat())
    _el(note, "task", item.number)
    registration = _el(note, "registration")
    _el(registration, "number", order.number)
    _el(registration, "date", timezone.localtime(order.issued_at or timezone.now()).date().isoformat())
    with translation.override(settings.LANGUAGE_CODE):
        _el(note, "status", str(assignment.get_status_display())[:400])
    _el(note, "deadline", assignment.deadline.isoformat())
    if executor_organisation is not None:
        _executor(note, executor_organisation, executor_user)
    if report_text:
        report = _el(note, "report")
        _el(report, "date", (report_date or timezone.localdate()).isoformat())
        _el(report, "text", report_text[:20000])
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    medo.parse(content)  # what we send must pass our own schema
    return content.decode("utf-8")
