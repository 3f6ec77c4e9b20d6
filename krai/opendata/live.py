"""Krai's own live datasets, read through the other areas' selectors (open data sits above them).

``REGISTERED`` is what ``krai.opendata.registry.live_datasets`` imports to load these declarations.
"""

from __future__ import annotations

from krai.opendata.registry import live_dataset
from krai.org.selectors import municipality_list, organisation_list
from krai.participation.selectors import priorities as priority_selectors
from krai.participation.selectors import ratings as rating_selectors

REGISTERED = True


@live_dataset(
    code="orgstructure", owner_code="governor-office",
    title="Структура органов исполнительной власти края",
    description="Органы исполнительной власти, государственные учреждения и их подразделения: код, "
                "наименование, вид, вышестоящий орган, блок вице-губернатора, муниципальное образование, "
                "ИНН и контакты. Формируется автоматически из справочника организаций Krai.",
    keywords=("органы власти", "структура", "организации"), subject="government",
    refresh_on=("org.organisation_*", "org.block_*", "org.municipality_*"),
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
    frequency="yearly", spatial="Краснодарский край", refresh_on=("org.municipality_*", "org.region_updated"),
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
    keywords=("обращения граждан", "проблемы", "городская среда"), subject="citizens", frequency="continuous",
    spatial="Краснодарский край",
    # a problem's own events, its assignment's (the control engine's, for problems only) and new names of places
    refresh_on=("problems.*", "control.*", "org.organisation_updated", "org.municipality_updated"),
    refresh_if=lambda event: not event.kind.startswith("control.") or (event.payload or {}).get("kind") == "problem",
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


CRITERIA = ("overall", "quality", "convenience", "speed")  # ServiceRank.Criterion, as the ranks are published


@live_dataset(
    code="service-ratings", owner_code="governor-office",
    title="Рейтинг государственных услуг по оценкам жителей",
    description="Ежемесячные места государственных услуг края по оценкам жителей: по качеству, удобству, скорости "
                "и в целом — число оценок, средняя оценка, байесовская средняя (с учётом малого числа оценок) и "
                "место. Без персональных данных: ни оценивших, ни их комментариев. Формируется автоматически из "
                "раздела «Оценка услуг».",
    keywords=("государственные услуги", "рейтинг", "оценка качества"), subject="participation",
    frequency="monthly", spatial="Краснодарский край",
    refresh_on=("participation.service_ranks_built", "participation.service_created",
                "participation.service_updated", "org.organisation_updated"),
    columns=[
        {"name": "month", "type": "date", "required": True, "title": "Месяц", "title_en": "Month",
         "description": "Первый день месяца, за который построен рейтинг"},
        {"name": "criterion", "type": "string", "required": True, "title": "Критерий", "title_en": "Criterion",
         "description": "Качество, удобство, скорость или в целом"},
        {"name": "service_code", "type": "string", "required": True, "title": "Код услуги", "title_en": "Service code",
         "description": "Код услуги в реестре Krai"},
        {"name": "service", "type": "string", "title": "Услуга", "title_en": "Service",
         "description": "Наименование услуги"},
        {"name": "organisation", "type": "string", "title": "Орган", "title_en": "Body",
         "description": "Орган, оказывающий услугу"},
        {"name": "ratings", "type": "integer", "title": "Оценок", "title_en": "Ratings",
         "description": "Число оценок за месяц"},
        {"name": "mean", "type": "number", "title": "Средняя оценка", "title_en": "Mean",
         "description": "Средняя оценка (1–5)"},
        {"name": "score", "type": "number", "title": "Байесовская средняя", "title_en": "Bayesian average",
         "description": "Средняя с поправкой на малое число оценок, по ней определяется место"},
        {"name": "position", "type": "integer", "title": "Место", "title_en": "Place",
         "description": "Место среди всех оценённых услуг месяца"},
    ],
)
def service_ratings():
    for build in rating_selectors.rank_builds().order_by("month"):
        for criterion in CRITERIA:
            for rank in rating_selectors.ranks_for_month(month=build.month, criterion=criterion)[1]:
                yield {"month": build.month, "criterion": rank.get_criterion_display(),
                       "service_code": rank.service.code, "service": rank.service.name,
                       "organisation": rank.service.organisation.name, "ratings": rank.ratings,
                       "mean": round(rank.mean, 3), "score": round(rank.score, 3), "position": rank.position}


@live_dataset(
    code="priority-ranks", owner_code="governor-office",
    title="Рейтинг приоритетов развития по голосам жителей",
    description="Места приоритетов развития края и муниципальных образований по голосам жителей за каждый период: "
                "число голосов, итоговый балл, место и место в предыдущем периоде. Голоса считаются по "
                "муниципальному образованию голосующего. Без персональных данных. Формируется автоматически из "
                "раздела «Приоритеты».",
    keywords=("приоритеты", "голосование", "участие жителей"), subject="participation", frequency="quarterly",
    spatial="Краснодарский край",
    refresh_on=("participation.ranks_built", "participation.priority_created", "participation.priority_updated",
                "org.municipality_updated"),
    columns=[
        {"name": "period", "type": "string", "required": True, "title": "Период", "title_en": "Period",
         "description": "Период голосования"},
        {"name": "municipality_code", "type": "string", "title": "Код муниципального образования",
         "title_en": "Municipality code", "description": "Пусто — рейтинг края в целом"},
        {"name": "municipality", "type": "string", "title": "Территория", "title_en": "Territory",
         "description": "Муниципальное образование или край в целом"},
        {"name": "priority_code", "type": "string", "required": True, "title": "Код приоритета",
         "title_en": "Priority code", "description": "Код приоритета в Krai"},
        {"name": "priority", "type": "string", "title": "Приоритет", "title_en": "Priority",
         "description": "Наименование приоритета"},
        {"name": "votes", "type": "integer", "title": "Голосов", "title_en": "Votes", "description": "Число голосов"},
        {"name": "score", "type": "integer", "title": "Балл", "title_en": "Score",
         "description": "Итоговый балл (с учётом веса муниципальных образований для края)"},
        {"name": "position", "type": "integer", "title": "Место", "title_en": "Place", "description": "Место"},
        {"name": "previous_position", "type": "integer", "title": "Место в прошлом периоде",
         "title_en": "Previous place", "description": "Пусто — приоритет новый в рейтинге"},
    ],
)
def priority_ranks():
    for build in priority_selectors.build_list().order_by("period"):
        snapshots = build.snapshots.select_related("municipality").order_by("municipality__name", "pk")
        for snapshot in snapshots:
            rank = priority_selectors.rank_get(period=build.period, municipality_id=snapshot.municipality_id)
            place = snapshot.municipality
            for entry in rank.entries if rank else ():
                yield {"period": build.period, "municipality_code": place.code if place else "",
                       "municipality": place.name if place else "Край в целом",
                       "priority_code": entry.priority.code, "priority": entry.priority.title, "votes": entry.votes,
                       "score": entry.score, "position": entry.position,
                       "previous_position": entry.previous_position}

# construction's registries and works, one module per part
from krai.opendata import live_construction_illegal, live_construction_objects, live_construction_works  # noqa: E402,F401
