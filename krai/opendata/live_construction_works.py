"""The live dataset of "Find out" about infrastructure works, read through construction's selectors and refreshed
on a work's events (``construction.work_*``, but for subscriptions, which change no row) and new names of places
and bodies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from krai.construction.selectors.works import open_rows
from krai.opendata.registry import live_dataset

#: a work's events that change nothing the dataset shows
SILENT = ("construction.work_subscribed", "construction.work_unsubscribed")


def _text(name: str, title: str, title_en: str, description: str) -> dict[str, str]:
    return {"name": name, "type": "string", "title": title, "title_en": title_en, "description": description}


def _typed(kind: str, name: str, title: str, title_en: str, description: str) -> dict[str, str]:
    return {"name": name, "type": kind, "title": title, "title_en": title_en, "description": description}


@live_dataset(
    code="construction-works", owner_code="capital-construction",
    title="Ремонт и строительство объектов городской инфраструктуры («Узнай»)",
    description="Ремонт и строительство дорог, дворов, школ, детских садов, сетей и парков: объект, вид работ, "
                "статус, адрес и улица, муниципальное образование, ответственный орган, подрядчик и его ИНН, "
                "программа финансирования, стоимость, плановые и фактические сроки начала и окончания, число оценок "
                "жителей и средняя оценка результата, координаты. Без персональных данных. Формируется "
                "автоматически из раздела «Узнай» Krai.",
    keywords=("ремонт дорог", "благоустройство", "капитальное строительство", "подрядчики", "сроки работ"),
    subject="construction", frequency="continuous", spatial="Краснодарский край",
    refresh_on=("construction.work_*", "org.municipality_updated", "org.organisation_updated"),
    refresh_if=lambda event: event.kind not in SILENT,
    columns=[
        {**_typed("integer", "id", "Номер", "Number", "Номер работы в Krai"), "required": True},
        {**_text("name", "Наименование", "Name", "Что и где ремонтируется или строится"), "required": True},
        _text("kind", "Вид работ", "Type of work", "Дорога, двор, школа, детский сад, сети, парк или сквер, иное"),
        _text("status", "Статус", "Status", "Запланирована, выполняется, приостановлена или завершена"),
        _text("address", "Адрес", "Address", "Адрес или участок работ"),
        _text("street", "Улица", "Street", "Наименование улицы"),
        _text("municipality", "Муниципальное образование", "Municipality", "Муниципальное образование"),
        _text("responsible_body", "Ответственный орган", "Responsible body", "Орган, отвечающий за работы"),
        _text("contractor", "Подрядчик", "Contractor", "Наименование подрядчика"),
        _text("contractor_inn", "ИНН подрядчика", "Contractor's INN", "ИНН подрядчика"),
        _text("programme", "Программа", "Programme", "Государственная программа или национальный проект"),
        _text("funding", "Финансирование", "Funding", "Программа или статья бюджета, если не программа Krai"),
        _typed("number", "cost", "Стоимость, руб.", "Cost, RUB", "Стоимость работ, рублей"),
        _typed("date", "planned_start", "Плановое начало", "Planned start", "Плановая дата начала"),
        _typed("date", "planned_end", "Плановое окончание", "Planned end", "Плановая дата окончания"),
        _typed("date", "actual_start", "Фактическое начало", "Actual start", "Фактическая дата начала"),
        _typed("date", "actual_end", "Фактическое окончание", "Actual end", "Фактическая дата окончания"),
        _typed("integer", "ratings", "Число оценок", "Ratings", "Сколько жителей оценили результат"),
        _typed("number", "rating", "Средняя оценка", "Average rating", "Средняя оценка результата жителями (1–5)"),
        _typed("number", "lat", "Широта", "Latitude", "Широта (WGS 84)"),
        _typed("number", "lon", "Долгота", "Longitude", "Долгота (WGS 84)"),
        _typed("date", "updated", "Дата изменения", "Updated", "Дата последнего изменения сведений"),
    ],
)
def construction_works() -> Iterator[dict[str, Any]]:
    yield from open_rows()
