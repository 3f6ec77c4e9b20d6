"""Open data's upload as an importer of the kernel: the dataset's structure is the row schema, a good file
becomes the dataset's new current version (``services._store_version``), and every upload is kept as an
import record — one-step uploads (the dataset page, the API) and mapped ones (/workspace/imports/) alike."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column
from krai.opendata import ingest
from krai.opendata.models import Dataset

KIND = "opendata.version"


def _dataset(options: dict) -> Dataset | None:
    return Dataset.objects.filter(identifier=options.get("dataset", "")).first()


class DatasetVersionImporter(Importer):
    kind = KIND
    title = _("A new version of an open dataset")
    description = _("The file's rows replace the dataset's current version; the previous versions stay in the "
                    "archive.")
    options = ("dataset",)
    token_scope = "opendata:write"  # noqa: S105 — a scope name, not a secret

    def columns(self, *, options: dict) -> list[Column]:
        dataset = _dataset(options)
        return ingest.columns_of(dataset.structure) if dataset else []

    def allowed(self, actor, *, options: dict) -> bool:
        dataset = _dataset(options)
        return bool(dataset is not None and dataset.kind != Dataset.Kind.LIVE and dataset.fields
                    and actor.has_perm("opendata.upload_version", dataset))

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        from krai.opendata import services  # late: services runs uploads through the kernel, which calls this

        dataset = _dataset(options)
        names = [c.name for c in self.columns(options=options)]
        valid = dt.date.fromisoformat(options["valid"]) if options.get("valid") else None
        version = services._store_version(
            actor=actor, dataset=dataset, rows=[[row[name] for name in names] for row in rows],
            content=bytes(record.content), source_format=record.source_format, source_name=record.file_name,
            encoding=record.encoding, checksum=record.checksum, provenance=options.get("provenance", ""),
            valid=valid)
        record_event(kind="opendata.version_uploaded", actor=actor, subject=dataset,
                     payload={"identifier": dataset.identifier, "version": version.number, "rows": version.row_count,
                              "import": record.pk})
        return {"version": version.number}

    def result_url(self, *, options: dict, summary: dict) -> str:
        return reverse("opendata:workspace-dataset", args=[options["dataset"]])


register(DatasetVersionImporter())
