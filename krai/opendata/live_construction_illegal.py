"""The live dataset of construction's registry of illegal constructions, read through the area's selectors and
refreshed on its events (``construction.illegal_*``, ``construction.measure_*``) and new names of municipalities.

No personal data: an owner is published only when he is an organisation (a legal form or a kind of body in his
name: «ООО», «АО», «администрация», «учреждение»…); a person's name, and an individual entrepreneur's («ИП»), is
left empty (``krai.construction.selectors.illegal.public_owner``). Nobody who entered or reported an entry is
named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from krai.construction.selectors.illegal import open_rows
from krai.opendata.registry import live_dataset


def _column(name: str, title: str, title_en: str, description: str, kind: str = "string",
            required: bool = False) -> dict[str, Any]:
    return {"name": name, "type": kind, "required": required, "title": title, "title_en": title_en,
            "description": description}


@live_dataset(
    code="construction-illegal", owner_code="construction-supervision",
    title="Реестр самовольных (незаконных) построек",
    description="Самовольные постройки, выявленные при проверках и внесённые органом строительного надзора: адрес, "
                "муниципальное образование, кадастровый номер, дата выявления, статус (выявлена, принимаются меры, "
                "снесена, узаконена), принятые меры (предписание о сносе, судебное дело, штраф, узаконение, снос), "
                "сумма штрафов и координаты. Без персональных данных: владелец указывается, только если это "
                "организация. Формируется автоматически из публичного реестра Krai.",
    keywords=("самовольное строительство", "строительный надзор", "снос", "штрафы"),
    subject="construction", frequency="continuous", spatial="Краснодарский край",
    refresh_on=("construction.illegal_*", "construction.measure_*", "org.municipality_updated"),
    columns=[
        _column("id", "Номер в реестре", "Number", "Номер записи в реестре Krai", "integer", required=True),
        _column("address", "Адрес", "Address", "Адрес (местоположение) постройки"),
        _column("municipality", "Муниципальное образование", "Municipality", "Муниципальное образование"),
        _column("cadastral_number", "Кадастровый номер", "Cadastral number", "Кадастровый номер участка"),
        _column("owner", "Владелец (организация)", "Owner (organisation)",
                "Наименование владельца или застройщика, если это организация; для граждан не указывается"),
        _column("found_on", "Дата выявления", "Found on", "Дата выявления постройки", "date"),
        _column("status", "Статус", "Status", "Выявлена, принимаются меры, снесена или узаконена"),
        _column("source", "Источник", "Source", "Проверка по обращению, загрузка из реестра или ввод сотрудником"),
        _column("location", "Местоположение", "Location",
                "Координаты указаны, определены по адресу или адрес не найден"),
        _column("measures", "Принятые меры", "Measures", "Меры с датами, через точку с запятой"),
        _column("last_measure", "Последняя мера", "Last measure", "Вид последней принятой меры"),
        _column("last_measure_date", "Дата последней меры", "Last measure date", "Дата последней меры", "date"),
        _column("fines_total", "Сумма штрафов, руб.", "Fines total, ₽", "Сумма назначенных штрафов", "number"),
        _column("lat", "Широта", "Latitude", "Широта (WGS 84); пусто — адрес не найден", "number"),
        _column("lon", "Долгота", "Longitude", "Долгота (WGS 84); пусто — адрес не найден", "number"),
        _column("updated", "Дата изменения", "Updated", "Дата последнего изменения записи", "date"),
    ],
)
def construction_illegal() -> Iterator[dict[str, Any]]:
    yield from open_rows()
