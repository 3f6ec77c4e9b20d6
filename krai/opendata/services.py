"""Every write of open data: datasets, their versions (validated uploads), live refreshes, reminders.

A version is stored all or nothing: the file is checked row by row before anything is written, and
the version row, its datastore table and the dataset's passport change in one transaction; the stored
file is removed again if that transaction fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.imports import services as imports
from krai.opendata import datastore, ingest, quality
from krai.opendata.models import (
    FREQUENCY_DAYS,
    Dataset,
    DatasetVersion,
    Frequency,
    identifier_validator,
    version_data_name,
    version_structure_name,
)
from krai.opendata.registry import LiveDataset, live_datasets

log = logging.getLogger(__name__)

PASSPORT_FIELDS = ("title", "description", "responsible_name", "responsible_phone", "responsible_email", "keywords",
                   "subject", "frequency", "licence", "spatial", "temporal_start", "temporal_end",
                   "documentation_url", "next_update", "status")


def _check(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this with this dataset."))


def _keywords(value) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    return [str(k).strip()[:100] for k in (value or []) if str(k).strip()][:50]


def _search_text(dataset: Dataset) -> str:
    parts = [dataset.identifier, dataset.title, dataset.description, " ".join(dataset.keywords or []),
             dataset.subject, dataset.owner.name if dataset.owner_id else "",
             " ".join(f.get("title", "") + " " + f.get("name", "") for f in dataset.fields)]
    return " ".join(p for p in parts if p).lower()


def planned_update(dataset: Dataset, since: dt.datetime | None = None) -> dt.date | None:
    days = FREQUENCY_DAYS.get(dataset.frequency)
    if not days:
        return None
    return timezone.localdate(since or dataset.modified) + dt.timedelta(days=days - 1 if days > 1 else 1)


def refresh_derived(dataset: Dataset) -> None:
    """Recompute the search text and the quality score and save them (no event: derived data)."""
    dataset._current_version = None
    dataset.search_text = _search_text(dataset)
    dataset.quality = quality.score(dataset)
    # written only when it differs: a refresh that finds nothing new changes nothing (and needs no event)
    Dataset.objects.filter(pk=dataset.pk).exclude(search_text=dataset.search_text, quality=dataset.quality).update(
        search_text=dataset.search_text, quality=dataset.quality)
    _index(dataset)


def _index(dataset: Dataset) -> None:
    """Keep the site-wide search entry of a dataset: public once published, else for its publishers."""
    from krai.core.search.services import index_object

    published = dataset.status == Dataset.Status.PUBLISHED
    owner = dataset.owner
    index_object(target=dataset, title=dataset.title,
                 body=" ".join([dataset.description, ", ".join(dataset.keywords or []), owner.name]),
                 url=f"/opendata/{dataset.identifier}/", visibility="public" if published else "staff",
                 organisation_path="" if published else owner.path,
                 block_id=None if published else owner.block_id,
                 municipality_id=None if published else owner.municipality_id)


def _clean_passport(changes: dict) -> dict:
    clean = {k: v for k, v in changes.items() if k in PASSPORT_FIELDS}
    if "keywords" in clean:
        clean["keywords"] = _keywords(clean["keywords"])
    if "frequency" in clean and clean["frequency"] not in Frequency.values:
        raise ValidationError({"frequency": _("Unknown update frequency.")})
    if "status" in clean and clean["status"] not in Dataset.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    return clean


@transaction.atomic
def dataset_create(*, actor, owner, identifier: str = "", code: str = "", title: str, structure,
                   **passport) -> Dataset:
    """Create a dataset (a draft unless ``status="published"``) with its passport and structure."""
    _check(actor, "opendata.add_dataset")
    if not actor.is_superuser and not quality_scope_covers(actor, owner):
        raise PermissionDenied(_("You may publish only for organisations within your scope."))
    if not identifier:
        identifier = f"{owner.inn or '0000000000'}-{code}".lower()
    identifier = identifier.strip().lower()
    errors = {}
    try:
        identifier_validator(identifier)
    except ValidationError as exc:
        errors["identifier"] = exc.messages
    if Dataset.objects.filter(identifier=identifier).exists():
        errors["identifier"] = [_("A dataset with this identifier already exists.")]
    if not str(title or "").strip():
        errors["title"] = [_("A dataset needs a title.")]
    if errors:
        raise ValidationError(errors)
    clean_structure = ingest.clean_structure(structure)
    dataset = Dataset(identifier=identifier, title=str(title).strip()[:500], owner=owner,
                      structure=clean_structure, created_by=actor, **_clean_passport(passport))
    dataset.full_clean(exclude=["structure", "keywords"])
    dataset.save()
    refresh_derived(dataset)
    record_event(kind="opendata.dataset_created", actor=actor, subject=dataset,
                 payload={"identifier": dataset.identifier})
    return dataset


def quality_scope_covers(actor, owner) -> bool:
    from krai.org.selectors import scope_for

    return scope_for(actor).covers_organisation(owner)


@transaction.atomic
def dataset_update(*, actor, dataset: Dataset, structure=None, **changes) -> Dataset:
    """Change the passport (and, if given, the structure that the next versions must follow)."""
    _check(actor, "opendata.change_dataset", dataset)
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    clean = _clean_passport(changes)
    for key, value in clean.items():
        setattr(dataset, key, value)
    changed = sorted(clean)
    if structure is not None:
        new_structure = ingest.clean_structure(structure)
        if new_structure != dataset.structure:
            dataset.structure = new_structure
            changed.append("structure")
    dataset.full_clean(exclude=["structure", "keywords", "identifier"])
    dataset.save()
    refresh_derived(dataset)
    record_event(kind="opendata.dataset_changed", actor=actor, subject=dataset, payload={"changed": changed})
    return dataset


@transaction.atomic
def dataset_publish(*, actor, dataset: Dataset) -> Dataset:
    return dataset_update(actor=actor, dataset=dataset, status=Dataset.Status.PUBLISHED)


def _store_version(*, actor, dataset: Dataset, rows, content: bytes, source_format: str, source_name: str,
                   encoding: str, checksum: str, provenance: str, valid: dt.date | None) -> DatasetVersion:
    """Write the version, its file and its table; must run inside a transaction."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    number = (dataset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    previous = dataset.versions.filter(is_current=True).first()
    if previous and previous.structure == dataset.structure:
        structure_created, structure_name = previous.structure_created, previous.structure_name
    else:
        structure_created = timezone.localdate(now)
        structure_name = version_structure_name(now, set(dataset.versions.values_list("structure_name", flat=True)))
    data_name = version_data_name(now, structure_name, set(dataset.versions.values_list("data_name", flat=True)))
    version = DatasetVersion.objects.create(
        dataset=dataset, number=number, created=now, data_name=data_name, structure_name=structure_name,
        valid=valid or timezone.localdate(now),
        provenance=provenance[:500], source_format=source_format, source_name=source_name[:255],
        encoding=encoding, checksum=checksum, structure=dataset.structure, structure_created=structure_created,
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    stored_name = ""
    try:
        if content:
            stored_name = default_storage.save(
                f"opendata/{dataset.identifier}/{version.data_name}-v{number}.{source_format}", ContentFile(content))
            version.file.name = stored_name
        name = datastore.create_table(version.pk, dataset.fields)
        version.row_count = datastore.load_rows(name, dataset.fields, rows)
        datastore.create_indexes(name, dataset.fields)
        version.datastore_table = name
        transaction.on_commit(lambda: datastore.vacuum(name))
        if previous:
            DatasetVersion.objects.filter(pk=previous.pk).update(is_current=False, datastore_table="")
            datastore.drop_table(previous.datastore_table)
        version.is_current = True
        version.save(update_fields=["file", "row_count", "datastore_table", "is_current"])
        dataset.modified = now
        dataset.provenance = provenance[:500] or _("Version %(n)s uploaded") % {"n": number}
        dataset.next_update = planned_update(dataset, now)
        dataset.save(update_fields=["modified", "provenance", "next_update"])
        refresh_derived(dataset)
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return version


def version_upload(*, actor, dataset: Dataset, upload, provenance: str = "", valid: dt.date | None = None,
                   name: str = "") -> DatasetVersion:
    """Validate ``upload`` against the structure and store it as the new current version, or raise.

    The upload runs through the import kernel (kept as an import record, refused or stored as a whole); its
    header must name the structure's fields. A rejected file raises ``ingest.UploadRejected`` (row-by-row
    reasons) and changes nothing but the record of the attempt.
    """
    _check(actor, "opendata.upload_version", dataset)
    if not dataset.fields:
        raise ValidationError({"structure": _("Describe the structure (the columns) before uploading data.")})
    options = {"dataset": dataset.identifier, "provenance": provenance[:500]}
    if valid:
        options["valid"] = valid.isoformat()
    record = imports.run(actor=actor, kind="opendata.version", upload=upload, options=options,
                         name=name or getattr(upload, "name", ""), strict=True)
    return dataset.versions.get(number=record.summary["version"])


# --- live datasets ---------------------------------------------------------------------------------

@dataclass
class LiveResult:
    dataset: Dataset
    version: DatasetVersion | None  # None when nothing changed


def _live_owner(live: LiveDataset):
    from krai.org.selectors import organisation_list

    orgs = organisation_list()
    owner = orgs.filter(code=live.owner_code).first() if live.owner_code else None
    return owner or orgs.filter(parent__isnull=True).first()


@transaction.atomic
def live_refresh(*, code: str) -> LiveResult | None:
    """Regenerate the live dataset ``code`` (the system acts: no person, no permission check).

    The rows are validated like an upload; a new version is stored only when they changed (by checksum).
    Returns None when the owner organisation does not exist yet. The rows are written in the installation's
    language whoever's request or job caused the refresh, so a reader's language never makes a new version.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _live_refresh(live_datasets()[code])


def _live_refresh(live: LiveDataset) -> LiveResult | None:
    code = live.code
    owner = _live_owner(live)
    if owner is None:
        return None
    structure = ingest.clean_structure(live.columns)
    dataset = Dataset.objects.filter(live_code=code).first()
    passport = {"title": live.title, "description": live.description, "keywords": list(live.keywords),
                "subject": live.subject, "frequency": live.frequency, "spatial": live.spatial,
                "responsible_name": owner.name, "responsible_email": owner.email,
                "responsible_phone": owner.phone, "documentation_url": ""}
    if dataset is None:
        dataset = Dataset.objects.create(identifier=f"{owner.inn or '0000000000'}-{code}".lower(), owner=owner,
                                         kind=Dataset.Kind.LIVE, live_code=code, structure=structure,
                                         status=Dataset.Status.PUBLISHED, **passport)
        record_event(kind="opendata.dataset_created", subject=dataset, payload={"identifier": dataset.identifier})
    else:
        changed = sorted(key for key, value in {**passport, "structure": structure}.items()
                         if getattr(dataset, key) != value)
        if changed:  # the passport follows the code (a new title, the owner's new e-mail): an audited change
            for key in changed:
                setattr(dataset, key, structure if key == "structure" else passport[key])
            dataset.save()
            record_event(kind="opendata.dataset_changed", subject=dataset, payload={"changed": changed})
    names = [f["name"] for f in structure["fields"]]
    records = ((n, [r.get(k) for k in names] if isinstance(r, dict) else list(r))
               for n, r in enumerate(live.rows(), start=1))
    rows = list(ingest.typed_rows(names, records, structure["fields"]))
    digest = hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest()
    current = dataset.versions.filter(is_current=True).first()
    if current and current.checksum == digest and current.structure == structure:
        refresh_derived(dataset)
        return LiveResult(dataset, None)
    from krai.opendata.export import _blocks, csv_parts

    content = b"".join(_blocks(csv_parts(names, ([0, *row] for row in rows))))
    version = _store_version(actor=None, dataset=dataset, rows=rows, content=content, source_format="csv",
                             source_name="", encoding="utf-8", checksum=digest, provenance=_("Regenerated from Krai"),
                             valid=None)
    record_event(kind="opendata.version_uploaded", subject=dataset,
                 payload={"identifier": dataset.identifier, "version": version.number, "rows": version.row_count})
    return LiveResult(dataset, version)


def live_refresh_all() -> list[LiveResult]:
    results = []
    for code in live_datasets():
        try:
            result = live_refresh(code=code)
        except ingest.UploadRejected as exc:
            log.error("live dataset %s rejected: %s %s", code, exc, [e.as_dict() for e in exc.errors[:5]])
            continue
        if result:
            results.append(result)
    return results


# --- reminders -------------------------------------------------------------------------------------

def remind_late_updates(*, today: dt.date | None = None) -> int:
    """Tell the publisher of each late uploaded dataset, once per planned date missed; return how many told."""
    from krai.core.notifications.services import notify

    today = today or timezone.localdate()
    sent = 0
    late = Dataset.objects.filter(kind=Dataset.Kind.UPLOADED, status=Dataset.Status.PUBLISHED,
                                  next_update__lt=today).select_related("owner", "created_by")
    for dataset in late:
        if dataset.late_reminded_on and dataset.next_update and dataset.late_reminded_on >= dataset.next_update:
            continue
        recipient = dataset.created_by
        with transaction.atomic():
            if recipient is not None:
                notify(users=[recipient], kind="opendata.update_late",
                       title=_("Dataset update is late: %(title)s") % {"title": dataset.title},
                       body=_("The update planned for %(date)s has not been uploaded.")
                       % {"date": dataset.next_update},
                       url=f"/workspace/opendata/{dataset.identifier}/")
                sent += 1
            Dataset.objects.filter(pk=dataset.pk).update(late_reminded_on=today)
            refresh_derived(dataset)
    return sent


def sweep_datastore() -> list[str]:
    """Drop datastore tables no current version names (left by a deleted dataset); return their names."""
    from django.db import connection

    # tables first: a table is committed with its version row, so any table seen here has its row visible below
    tables = [name for name in connection.introspection.table_names()
              if name.startswith("opendata_ds_") and name[len("opendata_ds_"):].isdigit()]
    wanted = set(DatasetVersion.objects.filter(is_current=True).exclude(datastore_table="")
                 .values_list("datastore_table", flat=True))
    orphans = [name for name in tables if name not in wanted]
    for name in orphans:
        datastore.drop_table(name)
    return orphans
