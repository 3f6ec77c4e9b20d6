"""Demo data for a Krasnodar-Krai-like region: pure, deterministic Python literals.

Used to seed a demonstration installation: the region and its simplified outline, 44 municipalities
(7 urban okrugs and 37 municipal districts with approximate real populations and administrative
centres), the governor's office, 8 vice-governor blocks, 39 executive bodies, 10 state companies and
word lists for generating staff deterministically.

Every person named here is fictional. INNs are fictional but well formed (10 digits, region prefix
"23", valid check digit). Coordinates are (lon, lat) in WGS 84; municipality centres are approximate
(~0.05°) and the outline is a coarse simplification that ignores the Adygea enclave.

The module depends on the standard library only and does nothing at import time; call
:func:`_self_check` to assert its invariants.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

Person = dict[str, str]
Point = tuple[float, float]


def _person(surname: str, given_name: str, patronymic: str) -> Person:
    return {"surname": surname, "given_name": given_name, "patronymic": patronymic}


# --- region -------------------------------------------------------------------------------------

REGION: dict[str, Any] = {
    "name": "Краснодарский край",
    "name_en": "Krasnodar Krai",
    "population": 5_800_000,
    "centre": (38.975, 45.035),
}

# Counter-clockwise, not closed: from the Psou mouth east along the Main Caucasian Ridge, north along
# the borders with Karachay-Cherkessia and Stavropol Krai, west along Rostov Oblast to Yeysk, then
# south along the Sea of Azov, the Kerch Strait (Taman) and the Black Sea coast back to Adler.
REGION_OUTLINE: list[Point] = [
    (40.00, 43.38),  # Psou mouth (border with Abkhazia)
    (40.25, 43.58),
    (40.70, 43.55),
    (41.05, 43.70),
    (41.10, 43.95),
    (41.45, 44.12),
    (41.75, 44.35),
    (41.70, 44.60),
    (41.80, 44.90),  # easternmost, Uspensky District
    (41.55, 45.15),
    (41.35, 45.45),
    (41.20, 45.80),
    (41.30, 46.20),  # junction with Stavropol Krai and Rostov Oblast
    (40.80, 46.35),
    (40.30, 46.45),
    (39.90, 46.70),
    (39.55, 46.85),  # northernmost, Kushchyovsky District
    (39.00, 46.82),
    (38.50, 46.80),
    (38.15, 46.75),  # Yeysk spit
    (38.05, 46.45),
    (38.08, 46.05),  # Primorsko-Akhtarsk
    (37.80, 45.80),
    (37.55, 45.55),
    (37.25, 45.40),
    (36.95, 45.45),
    (36.62, 45.38),  # Chushka spit, Kerch Strait
    (36.60, 45.20),  # Taman
    (36.75, 45.05),
    (37.10, 45.02),
    (37.25, 44.90),  # Anapa
    (37.40, 44.70),
    (37.72, 44.64),  # Novorossiysk (Tsemes Bay)
    (38.00, 44.52),  # Gelendzhik
    (38.50, 44.33),
    (38.70, 44.28),  # Dzhubga
    (39.05, 44.05),  # Tuapse
    (39.30, 43.87),  # Lazarevskoye
    (39.70, 43.55),  # Sochi
    (39.95, 43.38),  # Adler
]


# --- municipalities -----------------------------------------------------------------------------

def _okrug(code: str, name: str, name_en: str, population: int, centre: Point) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "kind": "urban_okrug",
        "population": population,
        "centre": centre,
        "admin_centre": name,
    }


def _district(
    code: str, adjective: str, name_en: str, population: int, centre: Point, admin_centre: str
) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"{adjective} район",
        "name_en": f"{name_en} District",
        "kind": "municipal_district",
        "population": population,
        "centre": centre,
        "admin_centre": admin_centre,
    }


MUNICIPALITIES: list[dict[str, Any]] = [
    _okrug("krasnodar", "Краснодар", "Krasnodar", 1_150_000, (38.975, 45.035)),
    _okrug("sochi", "Сочи", "Sochi", 470_000, (39.720, 43.585)),
    _okrug("novorossiysk", "Новороссийск", "Novorossiysk", 340_000, (37.770, 44.720)),
    _okrug("armavir", "Армавир", "Armavir", 187_000, (41.125, 44.995)),
    _okrug("anapa", "Анапа", "Anapa", 220_000, (37.320, 44.895)),
    _okrug("gelendzhik", "Геленджик", "Gelendzhik", 120_000, (38.060, 44.565)),
    _okrug("goryachy-klyuch", "Горячий Ключ", "Goryachy Klyuch", 68_000, (39.130, 44.630)),
    _district("abinsky", "Абинский", "Abinsky", 97_000, (38.160, 44.865), "Абинск"),
    _district("apsheronsky", "Апшеронский", "Apsheronsky", 90_000, (39.730, 44.465), "Апшеронск"),
    _district("beloglinsky", "Белоглинский", "Beloglinsky", 28_000, (40.860, 46.080), "Белая Глина"),
    _district("belorechensky", "Белореченский", "Belorechensky", 103_000, (39.870, 44.765), "Белореченск"),
    _district("bryukhovetsky", "Брюховецкий", "Bryukhovetsky", 50_000, (38.990, 45.800), "Брюховецкая"),
    _district("vyselkovsky", "Выселковский", "Vyselkovsky", 59_000, (39.650, 45.580), "Выселки"),
    _district("gulkevichsky", "Гулькевичский", "Gulkevichsky", 96_000, (40.690, 45.360), "Гулькевичи"),
    _district("dinskoy", "Динской", "Dinskoy", 150_000, (39.225, 45.215), "Динская"),
    _district("yeysky", "Ейский", "Yeysky", 135_000, (38.275, 46.710), "Ейск"),
    _district("kalininsky", "Калининский", "Kalininsky", 50_000, (38.660, 45.485), "Калининская"),
    _district("kanevskoy", "Каневской", "Kanevskoy", 100_000, (38.960, 46.085), "Каневская"),
    _district("korenovsky", "Кореновский", "Korenovsky", 85_000, (39.450, 45.465), "Кореновск"),
    _district("krasnoarmeysky", "Красноармейский", "Krasnoarmeysky", 100_000, (38.210, 45.330), "Полтавская"),
    _district("krylovsky", "Крыловский", "Krylovsky", 36_000, (39.960, 46.325), "Крыловская"),
    _district("krymsky", "Крымский", "Krymsky", 130_000, (38.000, 44.930), "Крымск"),
    _district("kurganinsky", "Курганинский", "Kurganinsky", 100_000, (40.590, 44.885), "Курганинск"),
    _district("kushchyovsky", "Кущёвский", "Kushchyovsky", 66_000, (39.630, 46.560), "Кущёвская"),
    _district("labinsky", "Лабинский", "Labinsky", 97_000, (40.730, 44.635), "Лабинск"),
    _district("leningradsky", "Ленинградский", "Leningradsky", 63_000, (39.390, 46.320), "Ленинградская"),
    _district("mostovskoy", "Мостовской", "Mostovskoy", 68_000, (40.785, 44.415), "Мостовской"),
    _district("novokubansky", "Новокубанский", "Novokubansky", 83_000, (41.090, 45.105), "Новокубанск"),
    _district("novopokrovsky", "Новопокровский", "Novopokrovsky", 43_000, (40.700, 45.950), "Новопокровская"),
    _district("otradnensky", "Отрадненский", "Otradnensky", 60_000, (41.520, 44.395), "Отрадная"),
    _district("pavlovsky", "Павловский", "Pavlovsky", 60_000, (39.780, 46.140), "Павловская"),
    _district(
        "primorsko-akhtarsky", "Приморско-Ахтарский", "Primorsko-Akhtarsky", 56_000, (38.170, 46.050),
        "Приморско-Ахтарск",
    ),
    _district("seversky", "Северский", "Seversky", 120_000, (38.680, 44.850), "Северская"),
    _district("slavyansky", "Славянский", "Slavyansky", 125_000, (38.130, 45.260), "Славянск-на-Кубани"),
    _district("starominskoy", "Староминской", "Starominskoy", 58_000, (39.060, 46.530), "Староминская"),
    _district("tbilissky", "Тбилисский", "Tbilissky", 46_000, (40.190, 45.365), "Тбилисская"),
    _district("temryuksky", "Темрюкский", "Temryuksky", 120_000, (37.385, 45.270), "Темрюк"),
    _district("timashyovsky", "Тимашёвский", "Timashyovsky", 105_000, (38.940, 45.615), "Тимашёвск"),
    _district("tikhoretsky", "Тихорецкий", "Tikhoretsky", 110_000, (40.125, 45.855), "Тихорецк"),
    _district("tuapsinsky", "Туапсинский", "Tuapsinsky", 125_000, (39.070, 44.100), "Туапсе"),
    _district("uspensky", "Успенский", "Uspensky", 41_000, (41.385, 44.830), "Успенское"),
    _district("ust-labinsky", "Усть-Лабинский", "Ust-Labinsky", 110_000, (39.690, 45.215), "Усть-Лабинск"),
    _district(
        "shcherbinovsky", "Щербиновский", "Shcherbinovsky", 34_000, (38.670, 46.630), "Старощербиновская"
    ),
    _district("kavkazsky", "Кавказский", "Kavkazsky", 120_000, (40.575, 45.435), "Кропоткин"),
]


# --- leadership and blocks ----------------------------------------------------------------------

GOVERNOR: Person = _person("Верещагин", "Аркадий", "Степанович")

BLOCKS: list[dict[str, Any]] = [
    {
        "code": "social",
        "name": "Социальный блок",
        "name_en": "Social Affairs",
        "vice_governor": _person("Лопатина", "Елена", "Викторовна"),
    },
    {
        "code": "economy",
        "name": "Блок экономики и финансов",
        "name_en": "Economy and Finance",
        "vice_governor": _person("Савельев", "Игорь", "Анатольевич"),
    },
    {
        "code": "agro",
        "name": "Агропромышленный блок",
        "name_en": "Agro-Industrial Complex",
        "vice_governor": _person("Дорошенко", "Виктор", "Григорьевич"),
    },
    {
        "code": "construction",
        "name": "Блок строительства и жилищно-коммунального хозяйства",
        "name_en": "Construction, Housing and Utilities",
        "vice_governor": _person("Гладков", "Роман", "Валерьевич"),
    },
    {
        "code": "transport",
        "name": "Блок транспорта и дорожного хозяйства",
        "name_en": "Transport and Roads",
        "vice_governor": _person("Мартыненко", "Денис", "Олегович"),
    },
    {
        "code": "resorts",
        "name": "Блок курортов и туризма",
        "name_en": "Resorts and Tourism",
        "vice_governor": _person("Рябинина", "Оксана", "Юрьевна"),
    },
    {
        "code": "security",
        "name": "Блок безопасности и правопорядка",
        "name_en": "Security and Law Enforcement",
        "vice_governor": _person("Щербаков", "Геннадий", "Павлович"),
    },
    {
        "code": "internal",
        "name": "Блок внутренней политики и муниципального развития",
        "name_en": "Internal Policy and Municipal Affairs",
        "vice_governor": _person("Крупенин", "Станислав", "Ильич"),
    },
]

GOVERNOR_OFFICE: dict[str, Any] = {
    "code": "governor-office",
    "name": "Администрация Губернатора Краснодарского края",
    "short_name": "Администрация Губернатора",
    "name_en": "Office of the Governor of Krasnodar Krai",
    "block": None,
    "inn": "2308305175",
    "head": _person("Осипенко", "Галина", "Михайловна"),
}

# Reports directly to the governor, hence no block.
CONTROL_DEPARTMENT: dict[str, Any] = {
    "code": "control",
    "name": "Департамент контроля и надзора за исполнением решений Губернатора Краснодарского края",
    "short_name": "Департамент контроля",
    "name_en": "Department for Oversight of the Governor's Decisions of Krasnodar Krai",
    "block": None,
    "inn": "2309384363",
    "head": _person("Нестеренко", "Вадим", "Аркадьевич"),
}


# --- executive bodies ---------------------------------------------------------------------------

def _body(
    code: str, name: str, short_name: str, name_en: str, block: str | None, inn: str, head: Person
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "short_name": short_name,
        "name_en": name_en,
        "block": block,
        "inn": inn,
        "head": head,
    }


DEPARTMENTS: list[dict[str, Any]] = [
    # social
    _body(
        "health", "Министерство здравоохранения Краснодарского края", "Минздрав края",
        "Ministry of Health of Krasnodar Krai", "social", "2310463556",
        _person("Ковалёв", "Андрей", "Петрович"),
    ),
    _body(
        "education", "Министерство образования и науки Краснодарского края", "Минобрнауки края",
        "Ministry of Education and Science of Krasnodar Krai", "social", "2311542747",
        _person("Зуева", "Наталья", "Сергеевна"),
    ),
    _body(
        "labour", "Министерство труда и социального развития Краснодарского края", "Минтруд края",
        "Ministry of Labour and Social Development of Krasnodar Krai", "social", "2312621938",
        _person("Белоусова", "Ирина", "Владимировна"),
    ),
    _body(
        "culture", "Министерство культуры Краснодарского края", "Минкультуры края",
        "Ministry of Culture of Krasnodar Krai", "social", "2315701123",
        _person("Тихомирова", "Вероника", "Андреевна"),
    ),
    _body(
        "sport", "Министерство физической культуры и спорта Краснодарского края", "Минспорт края",
        "Ministry of Physical Culture and Sport of Krasnodar Krai", "social", "2320780314",
        _person("Бондарь", "Артём", "Николаевич"),
    ),
    _body(
        "youth", "Департамент молодёжной политики Краснодарского края", "Департамент молодёжной политики",
        "Department of Youth Policy of Krasnodar Krai", "social", "2336859506",
        _person("Жукова", "Алина", "Дмитриевна"),
    ),
    # economy and finance
    _body(
        "finance", "Министерство финансов Краснодарского края", "Минфин края",
        "Ministry of Finance of Krasnodar Krai", "economy", "2343938692",
        _person("Рогов", "Константин", "Евгеньевич"),
    ),
    _body(
        "economy", "Министерство экономики Краснодарского края", "Минэкономики края",
        "Ministry of Economy of Krasnodar Krai", "economy", "2349017881",
        _person("Ермакова", "Светлана", "Игоревна"),
    ),
    _body(
        "investment",
        "Министерство инвестиций и развития малого и среднего предпринимательства Краснодарского края",
        "Мининвест края", "Ministry of Investment and SME Development of Krasnodar Krai", "economy",
        "2308097077", _person("Лысенко", "Максим", "Вячеславович"),
    ),
    _body(
        "property", "Департамент имущественных отношений Краснодарского края",
        "Департамент имущественных отношений", "Department of Property Relations of Krasnodar Krai",
        "economy", "2309176268", _person("Агеев", "Олег", "Борисович"),
    ),
    _body(
        "procurement", "Департамент по регулированию контрактной системы Краснодарского края",
        "Департамент контрактной системы", "Department of Public Procurement of Krasnodar Krai", "economy",
        "2310255450", _person("Мельникова", "Татьяна", "Алексеевна"),
    ),
    _body(
        "tariffs", "Региональная энергетическая комиссия — департамент цен и тарифов Краснодарского края",
        "РЭК — департамент цен и тарифов",
        "Regional Energy Commission — Prices and Tariffs Department of Krasnodar Krai", "economy",
        "2311334641", _person("Пархоменко", "Юрий", "Леонидович"),
    ),
    _body(
        "industry", "Департамент промышленной политики Краснодарского края",
        "Департамент промышленной политики", "Department of Industrial Policy of Krasnodar Krai", "economy",
        "2312413832", _person("Сорокин", "Владислав", "Георгиевич"),
    ),
    # agro-industrial complex
    _body(
        "agriculture",
        "Министерство сельского хозяйства и перерабатывающей промышленности Краснодарского края",
        "Минсельхоз края", "Ministry of Agriculture and Processing Industry of Krasnodar Krai", "agro",
        "2315493025", _person("Литвинов", "Пётр", "Фёдорович"),
    ),
    _body(
        "natural-resources", "Министерство природных ресурсов Краснодарского края", "Минприроды края",
        "Ministry of Natural Resources of Krasnodar Krai", "agro", "2320572219",
        _person("Полякова", "Марина", "Константиновна"),
    ),
    _body(
        "veterinary", "Государственное управление ветеринарии Краснодарского края",
        "Госуправление ветеринарии", "State Veterinary Administration of Krasnodar Krai", "agro",
        "2336651402", _person("Гайдамака", "Сергей", "Иванович"),
    ),
    _body(
        "gostekhnadzor",
        "Государственная инспекция по надзору за техническим состоянием самоходных машин и других видов "
        "техники Краснодарского края",
        "Гостехнадзор края", "State Inspectorate for Self-Propelled Machinery of Krasnodar Krai", "agro",
        "2343730599", _person("Кравец", "Василий", "Степанович"),
    ),
    _body(
        "wildlife",
        "Управление по охране, воспроизводству и использованию объектов животного мира и водных "
        "биологических ресурсов Краснодарского края",
        "Управление охраны животного мира", "Wildlife and Aquatic Resources Administration of Krasnodar Krai",
        "agro", "2349809781", _person("Федосеев", "Кирилл", "Романович"),
    ),
    # construction, housing and utilities
    _body(
        "construction", "Департамент строительства Краснодарского края", "Департамент строительства",
        "Department of Construction of Krasnodar Krai", "construction", "2308888978",
        _person("Усов", "Евгений", "Максимович"),
    ),
    _body(
        "architecture", "Департамент по архитектуре и градостроительству Краснодарского края",
        "Департамент архитектуры и градостроительства",
        "Department of Architecture and Urban Planning of Krasnodar Krai", "construction", "2309968168",
        _person("Сидоренко", "Кристина", "Олеговна"),
    ),
    _body(
        "energy-housing",
        "Министерство топливно-энергетического комплекса и жилищно-коммунального хозяйства Краснодарского "
        "края",
        "МинТЭК и ЖКХ края", "Ministry of Fuel and Energy, Housing and Utilities of Krasnodar Krai",
        "construction", "2310047355", _person("Карпенко", "Николай", "Витальевич"),
    ),
    _body(
        "housing-inspection", "Государственная жилищная инспекция Краснодарского края",
        "Госжилинспекция края", "State Housing Inspectorate of Krasnodar Krai", "construction", "2311126546",
        _person("Данилова", "Лариса", "Геннадьевна"),
    ),
    _body(
        "construction-supervision", "Департамент по надзору в строительной сфере Краснодарского края",
        "Департамент строительного надзора", "Department of Construction Supervision of Krasnodar Krai",
        "construction", "2312205737", _person("Харитонов", "Григорий", "Эдуардович"),
    ),
    # transport and roads
    _body(
        "transport", "Министерство транспорта и дорожного хозяйства Краснодарского края", "Минтранс края",
        "Ministry of Transport and Roads of Krasnodar Krai", "transport", "2315284920",
        _person("Шаповалов", "Илья", "Тимофеевич"),
    ),
    _body(
        "digital", "Министерство цифрового развития и связи Краснодарского края", "Минцифры края",
        "Ministry of Digital Development and Communications of Krasnodar Krai", "transport", "2320364113",
        _person("Горбунов", "Никита", "Сергеевич"),
    ),
    _body(
        "passenger-transport", "Управление пассажирских перевозок Краснодарского края",
        "Управление пассажирских перевозок", "Passenger Transport Administration of Krasnodar Krai",
        "transport", "2336443307", _person("Кириченко", "Ульяна", "Павловна"),
    ),
    # resorts and tourism
    _body(
        "resorts", "Министерство курортов, туризма и олимпийского наследия Краснодарского края",
        "Минкурортов края", "Ministry of Resorts, Tourism and Olympic Legacy of Krasnodar Krai", "resorts",
        "2343522493", _person("Вишневская", "Дарья", "Александровна"),
    ),
    _body(
        "heritage", "Управление государственной охраны объектов культурного наследия Краснодарского края",
        "Управление охраны наследия", "Cultural Heritage Protection Administration of Krasnodar Krai",
        "resorts", "2349601688", _person("Прохоров", "Леонид", "Яковлевич"),
    ),
    _body(
        "consumer-market",
        "Департамент потребительской сферы и регулирования рынка алкоголя Краснодарского края",
        "Департамент потребительской сферы",
        "Department of Consumer Market and Alcohol Regulation of Krasnodar Krai", "resorts", "2308680874",
        _person("Климова", "Жанна", "Вадимовна"),
    ),
    # security and law enforcement
    _body(
        "civil-defence", "Министерство гражданской обороны и чрезвычайных ситуаций Краснодарского края",
        "Министерство ГО и ЧС края", "Ministry of Civil Defence and Emergencies of Krasnodar Krai",
        "security", "2309760064", _person("Богданов", "Виталий", "Семёнович"),
    ),
    _body(
        "cossacks", "Департамент по делам казачества и военным вопросам Краснодарского края",
        "Департамент по делам казачества", "Department of Cossack and Military Affairs of Krasnodar Krai",
        "security", "2310839255", _person("Чумаченко", "Тимур", "Александрович"),
    ),
    _body(
        "magistrates", "Управление по обеспечению деятельности мировых судей Краснодарского края",
        "Управление мировых судей", "Administration for Support of Magistrates of Krasnodar Krai", "security",
        "2311918446", _person("Фомина", "Людмила", "Петровна"),
    ),
    _body(
        "regional-security", "Департамент региональной безопасности Краснодарского края",
        "Департамент региональной безопасности", "Department of Regional Security of Krasnodar Krai",
        "security", "2312997634", _person("Лукин", "Вячеслав", "Борисович"),
    ),
    # internal policy and municipal affairs
    _body(
        "internal-policy", "Департамент внутренней политики Краснодарского края",
        "Департамент внутренней политики", "Department of Internal Policy of Krasnodar Krai", "internal",
        "2315076825", _person("Панова", "Ксения", "Игоревна"),
    ),
    _body(
        "local-government", "Департамент по вопросам местного самоуправления Краснодарского края",
        "Департамент местного самоуправления", "Department of Local Self-Government of Krasnodar Krai",
        "internal", "2320156018", _person("Дьяченко", "Михаил", "Юрьевич"),
    ),
    _body(
        "information-policy", "Департамент информационной политики Краснодарского края",
        "Департамент информационной политики", "Department of Information Policy of Krasnodar Krai",
        "internal", "2336235201", _person("Симонова", "Полина", "Романовна"),
    ),
    _body(
        "civil-registry", "Управление записи актов гражданского состояния Краснодарского края",
        "Управление ЗАГС края", "Civil Registry Administration of Krasnodar Krai", "internal", "2343314398",
        _person("Тарасова", "Валентина", "Николаевна"),
    ),
    _body(
        "archives", "Управление по делам архивов Краснодарского края", "Управление по делам архивов",
        "Archives Administration of Krasnodar Krai", "internal", "2349393580",
        _person("Кудрявцев", "Георгий", "Львович"),
    ),
    _body(
        "ethnic-affairs",
        "Управление по взаимодействию с национальными и религиозными объединениями Краснодарского края",
        "Управление по межнациональным отношениям",
        "Administration for Ethnic and Religious Affairs of Krasnodar Krai", "internal", "2308472779",
        _person("Арутюнова", "Эльвира", "Сергеевна"),
    ),
]


# --- state companies ----------------------------------------------------------------------------

STATE_COMPANIES: list[dict[str, Any]] = [
    _body(
        "krasnodaravtodor", "Государственное казённое учреждение Краснодарского края «Краснодаравтодор»",
        "ГКУ КК «Краснодаравтодор»", "Krasnodaravtodor Regional Road Agency", "transport", "2309551960",
        _person("Семенченко", "Антон", "Викторович"),
    ),
    _body(
        "kubanvodkompleks", "Акционерное общество «Кубаньводкомплекс»", "АО «Кубаньводкомплекс»",
        "Kubanvodkompleks Water Utility JSC", "construction", "2310631151",
        _person("Головко", "Дмитрий", "Андреевич"),
    ),
    _body(
        "development-corporation", "Акционерное общество «Корпорация развития Краснодарского края»",
        "АО «Корпорация развития края»", "Krasnodar Krai Development Corporation JSC", "economy",
        "2311710342", _person("Никольская", "Анастасия", "Михайловна"),
    ),
    _body(
        "business-fund", "Некоммерческая организация «Фонд развития бизнеса Краснодарского края»",
        "НО «Фонд развития бизнеса»", "Krasnodar Krai Business Development Fund", "economy", "2312789539",
        _person("Зиновьев", "Руслан", "Константинович"),
    ),
    _body(
        "capital-construction",
        "Государственное казённое учреждение Краснодарского края «Управление капитального строительства»",
        "ГКУ КК «УКС»", "Regional Capital Construction Directorate", "construction", "2315868725",
        _person("Швец", "Валерий", "Николаевич"),
    ),
    _body(
        "kubanfarmatsiya", "Государственное унитарное предприятие Краснодарского края «Кубаньфармация»",
        "ГУП КК «Кубаньфармация»", "Kubanfarmatsiya State Pharmacy Enterprise", "social", "2320947919",
        _person("Лаврентьева", "Ольга", "Васильевна"),
    ),
    _body(
        "kubanpassazhiravtoservis",
        "Государственное унитарное предприятие Краснодарского края «Кубаньпассажиравтосервис»",
        "ГУП КК «Кубаньпассажиравтосервис»", "Kubanpassazhiravtoservis Regional Bus Operator", "transport",
        "2336027106", _person("Пилипенко", "Ярослав", "Игоревич"),
    ),
    _body(
        "kuban-resorts", "Акционерное общество «Курорты Кубани»", "АО «Курорты Кубани»", "Kuban Resorts JSC",
        "resorts", "2343106292", _person("Баранова", "Виктория", "Эдуардовна"),
    ),
    _body(
        "kuban-spas", "Государственное казённое учреждение Краснодарского края «Кубань-СПАС»",
        "ГКУ КК «Кубань-СПАС»", "Kuban-SPAS Regional Rescue Service", "security", "2349185484",
        _person("Остапенко", "Борис", "Геннадьевич"),
    ),
    _body(
        "it-centre",
        "Государственное казённое учреждение Краснодарского края «Центр информационных технологий»",
        "ГКУ КК «ЦИТ»", "Regional Information Technology Centre", "transport", "2308264673",
        _person("Ефимова", "Яна", "Станиславовна"),
    ),
]


# --- word lists for generated staff -------------------------------------------------------------

UNIT_NAMES: list[str] = [
    "Отдел правового обеспечения",
    "Управление бюджетного планирования",
    "Отдел кадровой политики и государственной службы",
    "Отдел бухгалтерского учёта и отчётности",
    "Управление стратегического развития",
    "Отдел по работе с обращениями граждан",
    "Отдел информационных технологий",
    "Отдел государственных закупок",
    "Управление контрольно-надзорной деятельности",
    "Отдел мобилизационной подготовки",
    "Отдел документационного обеспечения",
    "Отдел по взаимодействию с муниципальными образованиями",
    "Отдел аналитики и мониторинга",
]

# SURNAMES_F[i] is the feminine form of SURNAMES_M[i]; -енко/-ко surnames do not change.
SURNAMES_M: list[str] = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Ткаченко", "Шевченко", "Бондаренко", "Кравченко", "Коваленко",
]
SURNAMES_F: list[str] = [
    "Иванова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Петрова", "Соколова", "Михайлова",
    "Новикова", "Фёдорова", "Морозова", "Волкова", "Алексеева", "Лебедева", "Семёнова", "Егорова",
    "Павлова", "Козлова", "Степанова", "Николаева", "Орлова", "Андреева", "Макарова", "Никитина",
    "Захарова", "Зайцева", "Соловьёва", "Борисова", "Яковлева", "Григорьева", "Романова", "Воробьёва",
    "Сергеева", "Кузьмина", "Фролова", "Ткаченко", "Шевченко", "Бондаренко", "Кравченко", "Коваленко",
]
GIVEN_NAMES_M: list[str] = [
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий",
    "Василий", "Виктор", "Виталий", "Владимир", "Владислав", "Вячеслав", "Геннадий", "Георгий",
    "Григорий", "Денис", "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья",
    "Кирилл", "Константин", "Леонид", "Максим", "Михаил", "Никита", "Николай", "Олег",
    "Павел", "Пётр", "Роман", "Руслан", "Сергей", "Станислав", "Юрий", "Ярослав",
]
GIVEN_NAMES_F: list[str] = [
    "Александра", "Алина", "Алла", "Анастасия", "Анна", "Валентина", "Валерия", "Вера",
    "Вероника", "Виктория", "Галина", "Дарья", "Диана", "Евгения", "Екатерина", "Елена",
    "Елизавета", "Жанна", "Зоя", "Инна", "Ирина", "Кристина", "Ксения", "Лариса",
    "Любовь", "Людмила", "Марина", "Мария", "Надежда", "Наталья", "Нина", "Оксана",
    "Ольга", "Полина", "Светлана", "Софья", "Татьяна", "Ульяна", "Юлия", "Яна",
]
# PATRONYMICS_F[i] is derived from the same father's name as PATRONYMICS_M[i].
PATRONYMICS_M: list[str] = [
    "Александрович", "Алексеевич", "Анатольевич", "Андреевич", "Аркадьевич", "Борисович", "Вадимович",
    "Валентинович", "Валерьевич", "Васильевич", "Викторович", "Витальевич", "Владимирович", "Вячеславович",
    "Геннадьевич", "Георгиевич", "Григорьевич", "Дмитриевич", "Евгеньевич", "Иванович", "Игоревич",
    "Ильич", "Константинович", "Леонидович", "Максимович", "Михайлович", "Николаевич", "Олегович",
    "Павлович", "Петрович", "Романович", "Семёнович", "Сергеевич", "Станиславович", "Степанович",
    "Тимофеевич", "Фёдорович", "Эдуардович", "Юрьевич", "Яковлевич",
]
PATRONYMICS_F: list[str] = [
    "Александровна", "Алексеевна", "Анатольевна", "Андреевна", "Аркадьевна", "Борисовна", "Вадимовна",
    "Валентиновна", "Валерьевна", "Васильевна", "Викторовна", "Витальевна", "Владимировна", "Вячеславовна",
    "Геннадьевна", "Георгиевна", "Григорьевна", "Дмитриевна", "Евгеньевна", "Ивановна", "Игоревна",
    "Ильинична", "Константиновна", "Леонидовна", "Максимовна", "Михайловна", "Николаевна", "Олеговна",
    "Павловна", "Петровна", "Романовна", "Семёновна", "Сергеевна", "Станиславовна", "Степановна",
    "Тимофеевна", "Фёдоровна", "Эдуардовна", "Юрьевна", "Яковлевна",
]

POSITION_TITLES: dict[str, str] = {
    "head": "Руководитель",
    "deputy": "Заместитель руководителя",
    "unit_head": "Начальник отдела",
    "deputy_unit_head": "Заместитель начальника отдела",
    "consultant": "Консультант",
    "chief_specialist": "Главный специалист",
    "lead_specialist": "Ведущий специалист",
}
POSITION_TITLES_EN: dict[str, str] = {
    "head": "Head",
    "deputy": "Deputy Head",
    "unit_head": "Head of Unit",
    "deputy_unit_head": "Deputy Head of Unit",
    "consultant": "Consultant",
    "chief_specialist": "Chief Specialist",
    "lead_specialist": "Lead Specialist",
}


# --- invariants ---------------------------------------------------------------------------------

_INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_is_valid(inn: str) -> bool:
    """A 10-digit legal-entity INN with a correct check digit."""
    if len(inn) != 10 or not inn.isdigit():
        return False
    check = sum(int(d) * w for d, w in zip(inn[:9], _INN_WEIGHTS, strict=True)) % 11 % 10
    return check == int(inn[9])


def _point_in_outline(point: Point) -> bool:
    """Even-odd ray casting against REGION_OUTLINE (no dependencies)."""
    x, y = point
    inside = False
    n = len(REGION_OUTLINE)
    for i in range(n):
        x1, y1 = REGION_OUTLINE[i]
        x2, y2 = REGION_OUTLINE[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _self_check() -> None:
    """Assert the invariants the seeding code relies on. Not run at import."""
    # region outline: open ring, counter-clockwise (positive shoelace area)
    assert 25 <= len(REGION_OUTLINE) <= 40
    assert REGION_OUTLINE[0] != REGION_OUTLINE[-1]
    ring = [*REGION_OUTLINE, REGION_OUTLINE[0]]
    area2 = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))
    assert area2 > 0, "REGION_OUTLINE must be counter-clockwise"
    assert _point_in_outline(REGION["centre"])

    # municipalities
    assert len(MUNICIPALITIES) == 44
    kinds = [m["kind"] for m in MUNICIPALITIES]
    assert kinds.count("urban_okrug") == 7
    assert kinds.count("municipal_district") == 37
    assert len({m["code"] for m in MUNICIPALITIES}) == 44, "municipality codes must be unique"
    assert len({m["centre"] for m in MUNICIPALITIES}) == 44, "municipality centres must be unique"
    for m in MUNICIPALITIES:
        assert set(m) == {"code", "name", "name_en", "kind", "population", "centre", "admin_centre"}
        assert m["population"] > 0
        assert _point_in_outline(m["centre"]), f"{m['code']} centre is outside REGION_OUTLINE"

    # blocks
    assert len(BLOCKS) == 8
    block_codes = {b["code"] for b in BLOCKS}
    assert len(block_codes) == 8

    # organisations
    assert len(DEPARTMENTS) == 39
    assert len(STATE_COMPANIES) == 10
    for block in block_codes:
        count = sum(d["block"] == block for d in DEPARTMENTS)
        assert count >= 3, f"block {block} has only {count} departments"
    orgs = [GOVERNOR_OFFICE, CONTROL_DEPARTMENT, *DEPARTMENTS, *STATE_COMPANIES]
    assert len({o["code"] for o in orgs}) == len(orgs), "organisation codes must be unique"
    assert len({o["inn"] for o in orgs}) == len(orgs), "INNs must be unique"
    for o in orgs:
        assert o["block"] is None or o["block"] in block_codes
        assert o["inn"].startswith("23") and _inn_is_valid(o["inn"]), o["inn"]
        assert set(o["head"]) == {"surname", "given_name", "patronymic"}
    assert GOVERNOR_OFFICE["block"] is None and CONTROL_DEPARTMENT["block"] is None

    # word lists
    assert len(SURNAMES_M) == len(SURNAMES_F)
    assert len(PATRONYMICS_M) == len(PATRONYMICS_F)
    for words in (SURNAMES_M, SURNAMES_F, GIVEN_NAMES_M, GIVEN_NAMES_F, PATRONYMICS_M, PATRONYMICS_F):
        assert len(words) >= 30 and len(set(words)) == len(words)
    assert len(set(UNIT_NAMES)) == len(UNIT_NAMES) >= 10
    assert POSITION_TITLES.keys() == POSITION_TITLES_EN.keys()
