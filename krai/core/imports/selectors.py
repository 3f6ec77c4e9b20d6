"""Reading the kept imports: a person sees his own; administrators and controllers see all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from krai.core.imports import registry
from krai.core.imports.models import ImportRecord

VIEW_ALL = "core.view_all_imports"


def records_for(*, user, kind: str = "") -> QuerySet[ImportRecord]:
    records = ImportRecord.objects.defer("content").select_related("actor")
    if not (user.is_authenticated and user.has_perm(VIEW_ALL)):
        records = records.filter(actor_id=user.pk) if user.is_authenticated else records.none()
    return records.filter(kind=kind) if kind else records


def record_get(*, user, pk: int) -> ImportRecord:
    """One record the user may see; 404 alike for missing and foreign ones."""
    record = records_for(user=user).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def importers_for(*, user, options: dict | None = None) -> list[registry.Importer]:
    """Importers the user may run without options (those needing options start from their area's page)."""
    return [i for i in registry.all_importers() if not i.options and i.allowed(user, options=options or {})]
