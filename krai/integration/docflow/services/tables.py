"""Orders from a CSV/XLSX table, for systems that have nothing but a spreadsheet (the import kernel's
``docflow.orders``, see ``krai/integration/docflow/importers.py``): each row is issued like a package's item, in
the name of the system's channel issuer, and the table is kept as a package of the ``table`` way in with its items
→ orders, so the package list, the export and the answers' bookkeeping see it like any other package."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.integration.docflow import selectors
from krai.integration.docflow.models import DocflowItem, DocflowPackage, PackageChannel
from krai.integration.docflow.services import _issue
from krai.integration.models import ExternalSystem
from krai.orders.models import SourceType


def table_import(*, actor: Any, system: ExternalSystem, entries: list[_issue.Entry], record: Any = None,
                 file_name: str = "") -> dict[str, Any]:
    """Issue every row (the import kernel's transaction: all or none); a row that cannot be issued refuses the
    table with its reason. Returns the kernel's summary."""
    if actor is None or not actor.has_perm("integration.load_packages"):
        raise PermissionDenied(_("You may not load document-flow packages."))
    channel = selectors.channel_of(system)
    if channel is None or not channel.is_active or not system.is_active:
        raise ValidationError(_("The system %(name)s has no active document-flow channel.") % {"name": system.name})
    reference = (file_name or system.name)[:200]
    made, problems = [], []
    for line, entry in enumerate(entries, start=1):
        order, reason = _issue.issue(entry, channel=channel, source_type=SourceType.OTHER, source_ref=reference,
                                     source_date=None)
        if order is None:
            problems.append(_("Row %(n)s: %(reason)s") % {"n": line, "reason": reason})
        else:
            made.append((entry, order))
    if problems:
        raise ValidationError(problems)
    uid = f"import-{record.pk}" if getattr(record, "pk", None) else ""
    package = DocflowPackage.objects.create(system=system, uid=uid, channel=PackageChannel.TABLE, status="accepted",
                                            file_name=file_name[:255], received_by=actor)
    DocflowItem.objects.bulk_create([
        DocflowItem(package=package, position=n, number=entry.number or str(n), text=entry.text,
                    deadline=entry.deadline, executor=str(entry.lead)[:500], order=order)
        for n, (entry, order) in enumerate(made, start=1)])
    record_event(kind="docflow.table_imported", actor=actor, subject=package, payload={
        "system": system.code, "import_id": getattr(record, "pk", None), "orders": [o.pk for _e, o in made]})
    return {"created": len(made), "package_id": package.pk}
