"""The registry's live open dataset ``construction-registry``: every object with its permit and approved
parameters, nobody's personal data, owned by the inspection body, stale after the registry's events."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from krai.construction.models import ObjectKind, ObjectStage
from krai.construction.selectors.objects import open_rows
from krai.construction.services.objects import object_update
from krai.construction.tests import factories as f
from krai.opendata import services, subscribers
from krai.opendata.datastore import Query, Table

pytestmark = pytest.mark.django_db


def stored_rows(result) -> list[dict]:
    version = result.dataset.versions.get(is_current=True)
    table = Table(version.datastore_table, version.structure["fields"])
    names = [field["name"] for field in version.structure["fields"]]
    return [dict(zip(names, row[1:], strict=True)) for row in table.iterate(Query(limit=0))]


def test_the_registry_is_published_as_a_live_dataset_and_follows_its_changes():
    body = f.inspection_body()
    body.inn = "2310000001"
    body.save()
    place = f.municipality(name="Краснодар")
    keeper = f.keeper()
    obj = f.construction_object(municipality=place, created_by=keeper, approved_area=5400.5)
    f.construction_object(municipality=place, name="Без точки", lat=None, lon=None, approved_floors=None)
    result = services.live_refresh(code="construction-registry")
    assert result.dataset.identifier == "2310000001-construction-registry" and result.dataset.owner == body
    rows = {row["id"]: row for row in stored_rows(result)}
    assert len(rows) == 2
    row = rows[obj.pk]
    with translation.override(settings.LANGUAGE_CODE):  # written in the installation's language, whoever asks
        stage, kind = str(ObjectStage.UNDER_CONSTRUCTION.label), str(ObjectKind.RESIDENTIAL.label)
    assert row["name"] == obj.name and row["stage"] == stage and row["kind"] == kind
    assert row["municipality"] == "Краснодар" and str(row["permit_date"]) == "2026-03-01"
    assert row["approved_floors"] == 9 and row["approved_area"] == pytest.approx(5400.5)
    assert row["lat"] == pytest.approx(f.LAT) and not row["developer_inn"]
    unplaced = next(r for r in rows.values() if r["name"] == "Без точки")
    assert unplaced["lat"] is None and unplaced["approved_floors"] is None
    text = repr(list(open_rows()))
    assert keeper.surname not in text and keeper.email not in text  # who entered a row is never published

    assert services.live_refresh(code="construction-registry").version is None  # unchanged: no new version
    object_update(actor=keeper, construction_object=obj, approved_floors=12)
    assert services.live_refresh(code="construction-registry").version.number == 2


def test_the_registrys_events_make_the_dataset_stale():
    def event(kind):
        return SimpleNamespace(kind=kind, payload={})

    for kind in ("construction.object_created", "construction.object_updated", "construction.object_stage_changed",
                 "construction.object_file_added", "org.municipality_updated"):
        assert "construction-registry" in subscribers.stale_datasets(event(kind))
    assert "construction-registry" not in subscribers.stale_datasets(event("construction.request_filed"))
