"""An edition's table through the import kernel: codes and names both find a region; a broken row is reported by
row and column and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krai.core.imports import services as imports
from krai.core.imports.schema import ImportRejected
from krai.monitoring.rankings.importers import KIND, find_region
from krai.monitoring.rankings.models import RatingEdition, RatingPlace

pytestmark = pytest.mark.django_db


def _csv(lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("edition.csv", ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


HEADER = "Регион;Место;Место по;Балл;Регуляторная среда;Инфраструктура"


def test_names_in_usual_spellings_find_their_region():
    assert find_region("23").code == "23" and find_region(1).code == "01" and find_region("23.0").code == "23"
    assert find_region("краснодарский  КРАЙ").code == "23"
    assert find_region("г. Москва").code == "77" and find_region("Москва").code == "77"
    assert find_region("Республика Саха (Якутия)").code == "14" and find_region("Якутия").code == "14"
    assert find_region("Кемеровская область - Кузбасс").code == "42"
    assert find_region("Республика Алтай").code == "04" and find_region("Алтайский край").code == "22"
    assert find_region("Атлантида") is None and find_region("99") is None


def test_a_good_table_becomes_an_edition(rating, owner):
    record = imports.run(actor=owner, kind=KIND, options={"rating": rating.code, "year": "2024"}, upload=_csv([
        HEADER, "Краснодарский край;5;6;71,5;80;60", "61;5;6;71,5;70;65", "Москва;1;;99;99;99"]))
    edition = RatingEdition.objects.get(rating=rating, year=2024)
    assert record.summary["edition"] == edition.pk and edition.regions_count == 6
    home = edition.places.get(region__code="23")
    assert (home.place_label, float(home.score), home.subscores) == ("5–6", 71.5, {"reg": 80.0, "infra": 60.0})


def test_a_broken_row_is_reported_by_row_and_column_and_nothing_is_stored(rating, owner):
    lines = [HEADER, "Краснодарский край;5;;70;80;60", "Атлантида;6;;60;;", "Ростовская область;95;;50;;",
             "23;7;;40;;"]
    with pytest.raises(ImportRejected) as caught:
        imports.run(actor=owner, kind=KIND, options={"rating": rating.code, "year": "2024"}, upload=_csv(lines))
    errors = {(e.row, e.column) for e in caught.value.errors}
    assert errors == {(3, "Регион"), (4, "Место"), (5, "Регион")}, caught.value.errors
    assert not RatingEdition.objects.exists() and not RatingPlace.objects.exists()


def test_only_keepers_of_the_rating_may_import(rating):
    from django.core.exceptions import PermissionDenied

    from krai.org.tests.factories import StaffFactory

    with pytest.raises(PermissionDenied):
        imports.run(actor=StaffFactory(), kind=KIND, options={"rating": rating.code, "year": "2024"},
                    upload=_csv([HEADER, "23;1;;1;;"]))
