"""Running an import: read and preview, then confirm the mapping and store every row or none.

``preview`` keeps the file and proposes a mapping; ``confirm`` types every row, checks each (``check_row``)
and all together (``check_rows``), reports every error by row and column and stores nothing if there is one,
else calls the importer's ``store`` inside one transaction with the record's update and its event. ``run``
does both at once (the API and one-step uploads).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.imports import mapping as mapping_
from krai.core.imports import reading, registry
from krai.core.imports.models import ImportRecord
from krai.core.imports.schema import MAX_REPORTED, ImportRejected, RowError

SAMPLE_ROWS = 10
log = logging.getLogger(__name__)


def _importer(kind: str, actor, options: dict) -> registry.Importer:
    importer = registry.get(kind)
    if importer is None:
        raise ValidationError({"kind": _("There is no import of this kind.")})
    missing = [name for name in importer.options if name not in options]
    if missing:
        raise ValidationError({"options": _("Missing: %(names)s") % {"names": ", ".join(missing)}})
    if actor is None or not actor.is_authenticated or not importer.allowed(actor, options=options):
        raise PermissionDenied(_("You may not run this import."))
    return importer


def _cell(value) -> str:
    return "" if value is None else str(value)[:200]


@transaction.atomic
def preview(*, actor, kind: str, upload, options: dict | None = None, name: str = "") -> ImportRecord:
    """Read the file, keep it, and propose the mapping; ImportRejected (nothing kept) if it cannot be read."""
    options = {k: str(v) for k, v in (options or {}).items()}
    importer = _importer(kind, actor, options)
    columns = importer.columns(options=options)
    table = reading.read_table(upload, name=name, expected=[c.name for c in columns])
    sample = []
    for _number, values in table.records:
        sample.append([_cell(v) for v in values[:len(table.header)]])
        if len(sample) >= SAMPLE_ROWS:
            break
    record = ImportRecord.objects.create(
        kind=kind, options=options, actor=actor, file_name=(name or getattr(upload, "name", "") or "")[:255],
        source_format=table.source_format, encoding=table.encoding, size=len(table.content),
        checksum=table.checksum, content=table.content, header=table.header, sample=sample,
        mapping=mapping_.propose(table.header, columns))
    record_event(kind="imports.previewed", actor=actor, subject=record,
                 payload={"kind": kind, "file": record.file_name, "checksum": record.checksum})
    return record


def _finish(record: ImportRecord, *, status: str, actor, message: str = "", errors: list[RowError] | None = None,
            error_count: int = 0, summary: dict | None = None, row_count: int = 0) -> None:
    record.status = status
    record.message = message[:2000]
    record.errors = [e.as_dict() for e in (errors or [])]
    record.error_count = error_count
    record.summary = summary or {}
    record.row_count = row_count
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "message", "errors", "error_count", "summary", "row_count",
                               "finished_at", "mapping"])
    record_event(kind=f"imports.{status}", actor=actor, subject=record,
                 payload={"kind": record.kind, "rows": row_count, "errors": error_count, "summary": summary or {}})


def _typed(record: ImportRecord, importer: registry.Importer, actor, *, strict: bool) -> list[tuple[int, dict]]:
    columns = importer.columns(options=record.options)
    table = reading.read_table(bytes(record.content), name=record.file_name, expected=[c.name for c in columns])
    if strict:
        record.mapping = mapping_.strict_mapping(table.header, columns)
    rows = list(mapping_.typed_rows(table.header, table.records, columns, record.mapping,
                                    strict_width=table.source_format == "csv"))
    errors: list[RowError] = []
    for number, row in rows:
        for column, reason in importer.check_row(row, actor=actor, options=record.options).items():
            errors.append(RowError(number, record.mapping.get(column, column), _cell(row.get(column)), reason))
    failed = frozenset(e.row for e in errors)
    for error in importer.check_rows(rows, actor=actor, options=record.options, failed=failed):
        errors.append(RowError(error.row, record.mapping.get(error.column, error.column), _cell(error.value),
                               error.reason))
    if errors:
        errors.sort(key=lambda e: e.row)
        raise ImportRejected(_("%(count)s errors found; nothing was stored. Fix them and upload again.")
                             % {"count": len(errors)}, code="rows", errors=errors[:MAX_REPORTED],
                             error_count=len(errors))
    return rows


def confirm(*, actor, record: ImportRecord, mapping: dict[str, str] | None = None,
            strict: bool = False) -> ImportRecord:
    """Store every row of a previewed import or none; ImportRejected (kept on the record) when any is bad.

    ``strict`` takes the mapping from a header that must name the columns exactly (one-step uploads).
    """
    importer = _importer(record.kind, actor, record.options)
    if record.status != ImportRecord.Status.PREVIEWED:
        raise ValidationError({"status": _("This import is finished; upload the file again.")})
    if mapping is not None:
        known = {c.name for c in importer.columns(options=record.options)}
        record.mapping = {k: str(v) for k, v in mapping.items() if k in known and v}
    try:
        rows = _typed(record, importer, actor, strict=strict)
        with transaction.atomic():
            summary = importer.store([row for _n, row in rows], actor=actor, options=record.options, record=record)
            _finish(record, status=ImportRecord.Status.STORED, actor=actor, summary=summary, row_count=len(rows))
    except ImportRejected as exc:
        with transaction.atomic():
            _finish(record, status=ImportRecord.Status.REJECTED, actor=actor, message=exc.message, errors=exc.errors,
                    error_count=exc.error_count or len(exc.errors) or 1)
        raise
    except ValidationError as exc:  # the importer refused the set as a whole (a duplicate period, say)
        with transaction.atomic():
            _finish(record, status=ImportRecord.Status.REJECTED, actor=actor, message="; ".join(exc.messages),
                    error_count=1)
        raise
    except Exception:
        log.exception("import %s failed", record.pk)
        with transaction.atomic():
            _finish(record, status=ImportRecord.Status.FAILED, actor=actor,
                    message=_("The import failed and nothing was stored; the administrator has the details."),
                    error_count=1)
        raise
    return record


def run(*, actor, kind: str, upload, options: dict | None = None, name: str = "",
        mapping: dict[str, str] | None = None, strict: bool = False) -> ImportRecord:
    """Preview and confirm in one step: the proposed mapping (or ``mapping``, or an exact header)."""
    record = preview(actor=actor, kind=kind, upload=upload, options=options, name=name)
    return confirm(actor=actor, record=record, mapping=mapping, strict=strict)


@transaction.atomic
def expire(*, now=None) -> dict[str, int]:
    """Drop the kept file of imports finished more than ``KRAI_IMPORT_KEEP_DAYS`` ago (the record, checksum and
    errors stay) and previews left unconfirmed for a day (nothing was stored from them)."""
    from datetime import timedelta

    from django.conf import settings

    now = now or timezone.now()
    keep = timedelta(days=int(getattr(settings, "KRAI_IMPORT_KEEP_DAYS", 365)))
    emptied = (ImportRecord.objects.exclude(status=ImportRecord.Status.PREVIEWED)
               .filter(finished_at__lt=now - keep).exclude(content=b"").update(content=b""))
    abandoned = ImportRecord.objects.filter(status=ImportRecord.Status.PREVIEWED,
                                            created_at__lt=now - timedelta(days=1))
    dropped = abandoned.count()
    if emptied or dropped:
        record_event(kind="imports.expired", payload={"files_dropped": emptied, "previews_dropped": dropped})
    abandoned.delete()
    return {"files_dropped": emptied, "previews_dropped": dropped}
