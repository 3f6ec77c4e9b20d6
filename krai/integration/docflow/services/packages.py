"""Importing a MEDO-style package: read, validate, match the executors, and issue every order item — all or none.

The three ways in (an upload by the Department of Control, the watched folder, the HTTP endpoint of the system's
own token) call ``package_import`` with the bytes they got. The package is validated against the schema (errors
name the line and the element), its items mapped — the executor by organisation code, then INN, then exact
name; a person by surname and initials among the organisation's position holders, else the organisation alone —
and each item becomes an order issued in the name of the system's channel issuer (his rights are checked), with
its co-executors, its deadline, and the document as its source. One bad item refuses the whole package: nothing
is left of it but the refused package's record and the exchange log's line.

A package whose uid was already accepted from the same system is not imported again: the first result is the
answer (idempotent, also when two workers race: the database's unique condition decides). A refused package may
be sent again with the same uid once corrected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.integration.docflow import medo, selectors, unzip
from krai.integration.docflow.medo import Problem
from krai.integration.docflow.models import DocflowChannel, DocflowItem, DocflowPackage, PackageChannel
from krai.integration.docflow.services import _issue
from krai.integration.models import Channel, Direction, ExchangeStatus, ExternalSystem
from krai.integration.services.exchange import record_exchange
from krai.orders.models import Order

CONTENT_TYPE = "application/xml"


@dataclass
class ImportResult:
    """What became of a package: accepted with its orders, refused with its problems, or a repeat of the first."""

    package: DocflowPackage
    orders: list[Order] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    repeated: bool = False

    @property
    def accepted(self) -> bool:
        return self.package.status == "accepted"


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("refused")
        self.problems = problems


def _check_may_load(actor: Any, system: ExternalSystem, channel: str) -> None:
    if channel not in (PackageChannel.MEDO, PackageChannel.FOLDER, PackageChannel.UPLOAD):
        raise ValueError(f"unknown way in: {channel!r}")
    if channel == PackageChannel.FOLDER and actor is None:
        return  # the folder job acts for the system the folder belongs to
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to load packages."))
    if channel == PackageChannel.MEDO and actor.pk == system.account_id:
        return  # the system itself, with its own token
    if not actor.has_perm("integration.load_packages"):
        raise PermissionDenied(_("You may not load document-flow packages."))


def _channel_problems(system: ExternalSystem, channel: DocflowChannel | None) -> list[Problem]:
    if not system.is_active:
        return [Problem(None, "", _("The system %(name)s is switched off.") % {"name": system.name})]
    if channel is None or not channel.is_active:
        return [Problem(None, "", _("The system %(name)s has no active document-flow channel: an administrator must "
                                    "name the issuer and the controller first.") % {"name": system.name})]
    return []


def _executor_problem(task: medo.Task, ref: medo.ExecutorRef, role: str) -> Problem:
    return Problem(ref.line, "executor", _("item %(n)s: the %(role)s “%(who)s” is not found among the organisations "
                                           "(by code, INN or exact name).")
                   % {"n": task.number, "role": role, "who": ref.organisation.label() or "—"})


def _map(package: medo.Package) -> tuple[list[_issue.Entry], list[Problem]]:
    """Every item matched to organisations and people; the problems of all items at once."""
    entries: list[_issue.Entry] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for task in package.tasks:
        if task.number in seen:
            problems.append(Problem(task.line, "number", _("item %(n)s is given twice.") % {"n": task.number}))
        seen.add(task.number)
        lead = selectors.match_organisation(task.executor.organisation)
        if lead is None:
            problems.append(_executor_problem(task, task.executor, _("responsible executor")))
        co: list[tuple[Any, Any]] = []
        for ref in task.coexecutors:
            organisation = selectors.match_organisation(ref.organisation)
            if organisation is None:
                problems.append(_executor_problem(task, ref, _("co-executor")))
            else:
                co.append((organisation, selectors.match_person(organisation, ref.person)))
        if lead is not None:
            entries.append(_issue.Entry(number=task.number, text=task.text, deadline=task.deadline, lead=lead,
                                        lead_user=selectors.match_person(lead, task.executor.person),
                                        co_executors=co))
    return entries, problems


def _accept(*, actor: Any, system: ExternalSystem, channel: str, parsed: medo.Package, setting: DocflowChannel,
            file_name: str) -> tuple[DocflowPackage, list[Order]]:
    """Inside the caller's transaction: every item issued, or ``_Refused`` with all the problems."""
    entries, problems = _map(parsed)
    if problems:
        raise _Refused(problems)
    reference = _issue.source_reference(parsed.document_number, parsed.document_date)
    source_type = _issue.SOURCE_TYPES.get(parsed.document_kind, "other")
    lines = {task.number: task.line for task in parsed.tasks}
    made: list[tuple[_issue.Entry, Order]] = []
    for entry in entries:
        order, reason = _issue.issue(entry, channel=setting, source_type=source_type, source_ref=reference,
                                     source_date=parsed.document_date)
        if order is None:
            problems.append(Problem(lines.get(entry.number), "task", _("item %(n)s: %(reason)s")
                                    % {"n": entry.number, "reason": reason}))
        else:
            made.append((entry, order))
    if problems:
        raise _Refused(problems)
    package = DocflowPackage.objects.create(
        system=system, uid=parsed.uid, channel=channel, status="accepted", file_name=file_name[:255],
        document_kind=parsed.document_kind, document_number=parsed.document_number[:100],
        document_date=parsed.document_date, source_name=parsed.source.name[:400],
        received_by=actor if actor is not None and actor.is_authenticated else None)
    DocflowItem.objects.bulk_create([
        DocflowItem(package=package, position=n, number=entry.number, text=entry.text, deadline=entry.deadline,
                    executor=str(entry.lead)[:500], order=order) for n, (entry, order) in enumerate(made, start=1)])
    orders = [order for _entry, order in made]
    record_event(kind="docflow.package_accepted", actor=actor, subject=package, payload={
        "system": system.code, "uid": parsed.uid, "channel": channel, "orders": [o.pk for o in orders],
        "numbers": [o.number for o in orders]})
    return package, orders


def _refuse(*, actor: Any, system: ExternalSystem, channel: str, uid: str, problems: list[Problem], file_name: str,
            parsed: medo.Package | None = None) -> DocflowPackage:
    with transaction.atomic():
        package = DocflowPackage.objects.create(
            system=system, uid=uid[:100], channel=channel, status="refused", file_name=file_name[:255],
            document_kind=parsed.document_kind if parsed else "", document_number=(
                parsed.document_number[:100] if parsed else ""),
            document_date=parsed.document_date if parsed else None,
            source_name=parsed.source.name[:400] if parsed else "",
            error="\n".join(p.text() for p in problems)[:10_000], errors=[p.as_dict() for p in problems],
            received_by=actor if actor is not None and actor.is_authenticated else None)
        record_event(kind="docflow.package_refused", actor=actor, subject=package, payload={
            "system": system.code, "uid": uid, "channel": channel, "problems": len(problems)})
    return package


def _log(*, system: ExternalSystem, channel: str, uid: str, status: str, summary: str, content: bytes,
         error: str = "", started: float, peer: str = "") -> None:
    log_channel = {PackageChannel.MEDO: Channel.MEDO, PackageChannel.FOLDER: Channel.FOLDER,
                   PackageChannel.UPLOAD: Channel.UPLOAD}[channel]
    record_exchange(channel=log_channel, direction=Direction.IN, kind="medo.document", status=status, system=system,
                    peer=peer, correlation_id=uid, summary=summary, payload=content, content_type=CONTENT_TYPE,
                    error=error, started=started)


def package_import(*, actor: Any, system: ExternalSystem, content: bytes, channel: str, file_name: str = "",
                   peer: str = "") -> ImportResult:
    """Import one package's bytes (its XML, or a ZIP holding it) from ``system`` through ``channel`` (``medo``: HTTP
    with the system's token; ``folder``: the watched folder's job, ``actor=None``; ``upload``: a person who may load
    packages)."""
    started = time.monotonic()
    _check_may_load(actor, system, channel)
    parsed: medo.Package | None = None
    xml = b""
    try:
        xml = unzip.xml_of(file_name, content)
        parsed = medo.read_package(xml)
        first = selectors.first_accepted(system, parsed.uid)
        if first is not None:
            _log(system=system, channel=channel, uid=parsed.uid, status=ExchangeStatus.OK, content=xml or content,
                 summary=_("Repeated package: answered with the first result (package %(pk)s).") % {"pk": first.pk},
                 started=started, peer=peer)
            return ImportResult(first, selectors.package_orders(first), repeated=True)
        setting = selectors.channel_of(system)
        problems = _channel_problems(system, setting)
        if problems:
            raise _Refused(problems)
        with transaction.atomic():
            package, orders = _accept(actor=actor, system=system, channel=channel, parsed=parsed, setting=setting,
                                      file_name=file_name)
    except (medo.PackageInvalid, _Refused) as exc:
        uid = parsed.uid if parsed is not None else medo.peek_uid(xml) if xml else ""
        package = _refuse(actor=actor, system=system, channel=channel, uid=uid, problems=exc.problems,
                          file_name=file_name, parsed=parsed)
        _log(system=system, channel=channel, uid=uid, status=ExchangeStatus.REFUSED, content=xml or content,
             started=started, summary=_("Package refused: %(n)s errors.") % {"n": len(exc.problems)},
             error=package.error, peer=peer)
        return ImportResult(package, problems=exc.problems)
    except IntegrityError:
        first = selectors.first_accepted(system, parsed.uid) if parsed is not None else None
        if first is None:
            raise
        # another worker accepted the same package a moment ago: its result is the answer
        _log(system=system, channel=channel, uid=parsed.uid, status=ExchangeStatus.OK, content=xml or content,
             summary=_("Repeated package: answered with the first result (package %(pk)s).") % {"pk": first.pk},
             started=started, peer=peer)
        return ImportResult(first, selectors.package_orders(first), repeated=True)
    _log(system=system, channel=channel, uid=parsed.uid, status=ExchangeStatus.OK, content=xml or content,
         started=started, peer=peer,
         summary=_("Package accepted: orders %(numbers)s.") % {"numbers": ", ".join(o.number for o in orders)})
    return ImportResult(package, orders)
