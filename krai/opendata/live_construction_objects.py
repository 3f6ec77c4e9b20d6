"""The live dataset of construction's public registry of objects, read through the area's selectors and refreshed
on the registry's events (``construction.object_*``) and new names of municipalities."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from krai.construction.selectors.objects import open_rows
from krai.opendata.registry import live_dataset


@live_dataset(
    code="construction-registry", owner_code="construction-supervision",
    title="Реестр объектов капитального строительства",
    description="Объекты капитального строительства края, на которые выданы разрешения на строительство: "
                "наименование, вид, этап (разрешение выдано, строится, приостановлено, введён в эксплуатацию), адрес, "
                "муниципальное образование, кадастровый номер, застройщик и его ИНН, разрешение на строительство "
                "(номер, дата, выдавший орган, срок действия), утверждённые параметры (этажность, площадь, "
                "назначение) и координаты. Формируется автоматически из публичного реестра Krai.",
    keywords=("строительство", "разрешения на строительство", "застройщики", "объекты капитального строительства"),
    subject="construction", frequency="continuous", spatial="Краснодарский край",
    refresh_on=("construction.object_*", "org.municipality_updated"),
    columns=[
        {"name": "id", "type": "integer", "required": True, "title": "Номер в реестре", "title_en": "Number",
         "description": "Номер объекта в реестре Krai"},
        {"name": "name", "type": "string", "required": True, "title": "Наименование", "title_en": "Name",
         "description": "Наименование объекта"},
        {"name": "kind", "type": "string", "title": "Вид объекта", "title_en": "Type",
         "description": "Жилой, общественный, производственный, социальный объект, инфраструктура или иное"},
        {"name": "stage", "type": "string", "title": "Этап", "title_en": "Stage",
         "description": "Разрешение выдано, строится, приостановлено или введён в эксплуатацию"},
        {"name": "address", "type": "string", "title": "Адрес", "title_en": "Address",
         "description": "Адрес (местоположение) объекта"},
        {"name": "municipality", "type": "string", "title": "Муниципальное образование", "title_en": "Municipality",
         "description": "Муниципальное образование, где находится объект"},
        {"name": "cadastral_number", "type": "string", "title": "Кадастровый номер", "title_en": "Cadastral number",
         "description": "Кадастровый номер земельного участка"},
        {"name": "developer", "type": "string", "title": "Застройщик", "title_en": "Developer",
         "description": "Наименование застройщика"},
        {"name": "developer_inn", "type": "string", "title": "ИНН застройщика", "title_en": "Developer's INN",
         "description": "ИНН застройщика"},
        {"name": "permit_number", "type": "string", "title": "Номер разрешения", "title_en": "Permit number",
         "description": "Номер разрешения на строительство"},
        {"name": "permit_date", "type": "date", "title": "Дата разрешения", "title_en": "Permit date",
         "description": "Дата выдачи разрешения на строительство"},
        {"name": "permit_authority", "type": "string", "title": "Выдавший орган", "title_en": "Issued by",
         "description": "Орган, выдавший разрешение"},
        {"name": "permit_valid_until", "type": "date", "title": "Срок действия разрешения",
         "title_en": "Permit valid until", "description": "Дата, до которой действует разрешение"},
        {"name": "approved_floors", "type": "integer", "title": "Этажность", "title_en": "Approved floors",
         "description": "Утверждённое количество этажей"},
        {"name": "approved_area", "type": "number", "title": "Площадь, кв. м", "title_en": "Approved area, m²",
         "description": "Утверждённая общая площадь, квадратных метров"},
        {"name": "purpose", "type": "string", "title": "Назначение", "title_en": "Approved purpose",
         "description": "Утверждённое назначение объекта"},
        {"name": "lat", "type": "number", "title": "Широта", "title_en": "Latitude",
         "description": "Широта объекта (WGS 84); пусто — объект не нанесён на карту"},
        {"name": "lon", "type": "number", "title": "Долгота", "title_en": "Longitude",
         "description": "Долгота объекта (WGS 84); пусто — объект не нанесён на карту"},
        {"name": "updated", "type": "date", "title": "Дата изменения", "title_en": "Updated",
         "description": "Дата последнего изменения сведений об объекте"},
    ],
)
def construction_registry() -> Iterator[dict[str, Any]]:
    yield from open_rows()
