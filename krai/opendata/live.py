"""Krai's own live datasets, read through the other areas' selectors (open data sits above them).

``REGISTERED`` is what ``krai.opendata.registry.live_datasets`` imports to load these declarations.
"""

from __future__ import annotations

from krai.opendata.registry import live_dataset
from krai.org.selectors import municipality_list, organisation_list

REGISTERED = True


@live_dataset(
    code="orgstructure", owner_code="governor-office",
    title="Структура органов исполнительной власти края",
    description="Органы исполнительной власти, государственные учреждения и их подразделения: код, "
                "наименование, вид, вышестоящий орган, блок вице-губернатора, муниципальное образование, "
                "ИНН и контакты. Формируется автоматически из справочника организаций Krai.",
    keywords=("органы власти", "структура", "организации"), subject="government",
    refresh_on=("org.organisation_created", "org.organisation_changed"),
    columns=[
        {"name": "code", "type": "string", "required": True, "title": "Код", "title_en": "Code",
         "description": "Код организации в Krai"},
        {"name": "name", "type": "string", "required": True, "title": "Наименование", "title_en": "Name",
         "description": "Полное наименование"},
        {"name": "short_name", "type": "string", "title": "Краткое наименование", "title_en": "Short name",
         "description": "Краткое наименование"},
        {"name": "kind", "type": "string", "title": "Вид", "title_en": "Kind", "description": "Вид организации"},
        {"name": "parent_code", "type": "string", "title": "Вышестоящий орган", "title_en": "Parent",
         "description": "Код вышестоящей организации"},
        {"name": "block", "type": "string", "title": "Блок", "title_en": "Block",
         "description": "Блок вице-губернатора"},
        {"name": "municipality", "type": "string", "title": "Муниципальное образование",
         "title_en": "Municipality", "description": "Муниципальное образование (для органов МСУ)"},
        {"name": "inn", "type": "string", "title": "ИНН", "title_en": "INN", "description": "ИНН организации"},
        {"name": "phone", "type": "string", "title": "Телефон", "title_en": "Phone", "description": "Телефон"},
        {"name": "email", "type": "string", "title": "Эл. почта", "title_en": "E-mail",
         "description": "Адрес электронной почты"},
        {"name": "website", "type": "string", "title": "Сайт", "title_en": "Website", "description": "Сайт"},
    ],
)
def organisations():
    for org in organisation_list():
        yield {"code": org.code, "name": org.name, "short_name": org.short_name, "kind": org.get_kind_display(),
               "parent_code": org.parent.code if org.parent_id else "",
               "block": org.block.name if org.block_id else "",
               "municipality": org.municipality.name if org.municipality_id else "",
               "inn": org.inn, "phone": org.phone, "email": org.email, "website": org.website}


@live_dataset(
    code="municipalities", owner_code="governor-office",
    title="Муниципальные образования края",
    description="Муниципальные образования края: городские округа и муниципальные районы с "
                "административными центрами, численностью населения и координатами центров. Формируется "
                "автоматически из справочника муниципальных образований Krai.",
    keywords=("муниципальные образования", "население", "территория"), subject="territory",
    frequency="yearly", spatial="Краснодарский край",
    columns=[
        {"name": "code", "type": "string", "required": True, "title": "Код", "title_en": "Code",
         "description": "Код муниципального образования"},
        {"name": "name", "type": "string", "required": True, "title": "Наименование", "title_en": "Name",
         "description": "Наименование"},
        {"name": "kind", "type": "string", "title": "Вид", "title_en": "Kind", "description": "Вид образования"},
        {"name": "admin_centre", "type": "string", "title": "Административный центр",
         "title_en": "Administrative centre", "description": "Административный центр"},
        {"name": "population", "type": "integer", "title": "Население", "title_en": "Population",
         "description": "Численность населения, человек"},
        {"name": "lat", "type": "number", "title": "Широта", "title_en": "Latitude",
         "description": "Широта центра (WGS 84)"},
        {"name": "lon", "type": "number", "title": "Долгота", "title_en": "Longitude",
         "description": "Долгота центра (WGS 84)"},
    ],
)
def municipalities():
    for m in municipality_list():
        yield {"code": m.code, "name": m.name, "kind": m.get_kind_display(), "admin_centre": m.admin_centre,
               "population": m.population, "lat": m.centre_lat, "lon": m.centre_lon}


@live_dataset(
    code="problems", owner_code="control",
    title="Сообщения граждан о проблемах и их решение",
    description="Опубликованные сообщения жителей о проблемах (без персональных данных): тема, муниципальное "
                "образование, ответственный орган, статус, срок реакции, ответ, оценка результата и координаты "
                "места. Формируется автоматически из раздела «Сообщить о проблеме».",
    keywords=("обращения граждан", "проблемы", "городская среда"), subject="citizens", frequency="daily",
    spatial="Краснодарский край",
    columns=[
        {"name": "number", "type": "integer", "required": True, "title": "Номер", "title_en": "Number",
         "description": "Номер сообщения"},
        {"name": "created", "type": "date", "title": "Дата сообщения", "title_en": "Reported",
         "description": "Дата, когда сообщение поступило"},
        {"name": "category", "type": "string", "title": "Тема", "title_en": "Category", "description": "Тема"},
        {"name": "municipality", "type": "string", "title": "Муниципальное образование",
         "title_en": "Municipality", "description": "Муниципальное образование места"},
        {"name": "organisation", "type": "string", "title": "Ответственный орган", "title_en": "Responsible body",
         "description": "Орган, которому направлено сообщение"},
        {"name": "status", "type": "string", "title": "Статус", "title_en": "Status", "description": "Статус"},
        {"name": "due_date", "type": "date", "title": "Срок реакции", "title_en": "Reaction due",
         "description": "Срок официальной реакции"},
        {"name": "answer", "type": "string", "title": "Ответ", "title_en": "Answer",
         "description": "Решено, запланировано или отклонено"},
        {"name": "rating", "type": "integer", "title": "Оценка", "title_en": "Rating",
         "description": "Оценка результата жителем (1–5)"},
        {"name": "address", "type": "string", "title": "Адрес или ориентир", "title_en": "Address or landmark",
         "description": "Адрес места, как его указал житель (телефоны, e-mail и документы скрыты)"},
        {"name": "lat", "type": "number", "title": "Широта", "title_en": "Latitude",
         "description": "Широта места (WGS 84, 4 знака)"},
        {"name": "lon", "type": "number", "title": "Долгота", "title_en": "Longitude",
         "description": "Долгота места (WGS 84, 4 знака)"},
    ],
)
def problems():
    # only what the portal already shows publicly, through the same mask (Problem.public_address); never
    # the author, the reporter or the text as written
    from krai.problems.selectors import published

    for p in published().order_by("pk").iterator(chunk_size=2000):
        yield {"number": p.pk, "created": p.created_at.date(), "category": p.category.name,
               "municipality": p.municipality.name if p.municipality_id else "",
               "organisation": p.organisation.name if p.organisation_id else "", "status": p.get_status_display(),
               "due_date": p.due_date, "answer": p.get_answer_display() if p.answer else "", "rating": p.rating,
               "address": p.public_address, "lat": round(p.lat, 4), "lon": round(p.lon, 4)}
