"""Demo open data: the live datasets and ten uploaded ones of several departments, some with coordinates.

Idempotent: a dataset is looked up by its identifier and gets a version only when it has none, so a
second run changes nothing. Deterministic: rows come from the loader's seeded ``rng``. Rows grow with
``scale``. Like the other demo loaders it writes through the storing step directly (seeded data, not
a person's act), so no events are recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable

from krai.core.demo import demo_loader
from krai.opendata import ingest, services
from krai.opendata.export import _blocks, csv_parts
from krai.opendata.models import Dataset
from krai.org.demo_data import MUNICIPALITIES
from krai.org.selectors import organisation_list

S, INT, N, D, B = "string", "integer", "number", "date", "boolean"


def _f(name: str, kind: str, title: str, title_en: str, description: str = "", required: bool = False) -> dict:
    return {"name": name, "type": kind, "title": title, "title_en": title_en,
            "description": description or title, "required": required}


def _point(rng: random.Random, spread: float = 0.06) -> tuple[str, float, float]:
    m = rng.choice(MUNICIPALITIES)
    lon, lat = m["centre"]
    return m["name"], round(lat + rng.uniform(-spread, spread), 5), round(lon + rng.uniform(-spread, spread), 5)


def _places(kinds: list[str], prefix: str, count: int) -> Callable[[random.Random], list[list]]:
    def rows(rng: random.Random) -> list[list]:
        out = []
        for n in range(1, count + 1):
            municipality, lat, lon = _point(rng)
            out.append([f"{prefix} №{n}", rng.choice(kinds), municipality, f"ул. {rng.choice(STREETS)}, "
                        f"{rng.randint(1, 200)}", rng.randint(20, 2000), lat, lon])
        return out
    return rows


STREETS = ["Красная", "Северная", "Мира", "Ленина", "Садовая", "Школьная", "Советская", "Гагарина", "Кубанская"]
PLACE_FIELDS = [
    _f("name", S, "Наименование", "Name", required=True), _f("category", S, "Вид", "Category"),
    _f("municipality", S, "Муниципальное образование", "Municipality"), _f("address", S, "Адрес", "Address"),
    _f("capacity", INT, "Вместимость, мест", "Capacity"), _f("lat", N, "Широта", "Latitude", "Широта (WGS 84)"),
    _f("lon", N, "Долгота", "Longitude", "Долгота (WGS 84)"),
]


def _monthly(values: Callable[[random.Random, int], list], months: int = 36):
    def rows(rng: random.Random) -> list[list]:
        out, day = [], dt.date(2024, 1, 1)
        for _ in range(months):
            out.append([day, *values(rng, day.month)])
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out
    return rows


def _by_municipality(values: Callable[[random.Random], list]):
    def rows(rng: random.Random) -> list[list]:
        return [[m["name"], *values(rng)] for m in MUNICIPALITIES]
    return rows


DATASETS = [
    {"owner": "education", "code": "schools", "title": "Общеобразовательные организации края",
     "keywords": ["образование", "школы"], "subject": "education", "frequency": "yearly", "base": 600,
     "fields": PLACE_FIELDS, "rows": lambda n: _places(["школа", "гимназия", "лицей"], "Школа", n)},
    {"owner": "health", "code": "clinics", "title": "Медицинские организации края",
     "keywords": ["здравоохранение", "поликлиники"], "subject": "health", "frequency": "quarterly", "base": 300,
     "fields": PLACE_FIELDS,
     "rows": lambda n: _places(["поликлиника", "больница", "ФАП"], "Медицинская организация", n)},
    {"owner": "culture", "code": "museums", "title": "Музеи и библиотеки края",
     "keywords": ["культура", "музеи"], "subject": "culture", "frequency": "yearly", "base": 120,
     "fields": PLACE_FIELDS, "rows": lambda n: _places(["музей", "библиотека"], "Учреждение культуры", n)},
    {"owner": "sport", "code": "sportsgrounds", "title": "Спортивные площадки края",
     "keywords": ["спорт"], "subject": "sport", "frequency": "yearly", "base": 250,
     "fields": PLACE_FIELDS, "rows": lambda n: _places(["стадион", "площадка", "бассейн"], "Площадка", n)},
    {"owner": "finance", "code": "budget", "title": "Исполнение консолидированного бюджета края по месяцам",
     "keywords": ["бюджет", "финансы"], "subject": "finance", "frequency": "monthly", "base": 0,
     "fields": [_f("month", D, "Месяц", "Month", required=True), _f("revenue", N, "Доходы, млн руб.", "Revenue"),
                _f("expenses", N, "Расходы, млн руб.", "Expenses")],
     "rows": lambda n: _monthly(lambda rng, m: [round(rng.uniform(30000, 45000), 1),
                                                round(rng.uniform(28000, 47000), 1)])},
    {"owner": "labour", "code": "unemployment", "title": "Уровень регистрируемой безработицы",
     "keywords": ["труд", "безработица"], "subject": "labour", "frequency": "monthly", "base": 0,
     "fields": [_f("month", D, "Месяц", "Month", required=True), _f("rate", N, "Уровень, %", "Rate, %"),
                _f("registered", INT, "Зарегистрировано безработных", "Registered unemployed")],
     "rows": lambda n: _monthly(lambda rng, m: [round(rng.uniform(0.4, 0.9), 2), rng.randint(9000, 21000)])},
    {"owner": "economy", "code": "salaries", "title": "Среднемесячная заработная плата по муниципальным образованиям",
     "keywords": ["экономика", "заработная плата"], "subject": "economy", "frequency": "yearly", "base": 0,
     "fields": [_f("municipality", S, "Муниципальное образование", "Municipality", required=True),
                _f("salary", N, "Заработная плата, руб.", "Average salary, RUB")],
     "rows": lambda n: _by_municipality(lambda rng: [round(rng.uniform(38000, 82000), 0)])},
    {"owner": "agriculture", "code": "harvest", "title": "Валовой сбор зерновых по районам",
     "keywords": ["сельское хозяйство", "урожай"], "subject": "agriculture", "frequency": "yearly", "base": 0,
     "fields": [_f("municipality", S, "Муниципальное образование", "Municipality", required=True),
                _f("grain_t", N, "Зерновые, тыс. т", "Grain, kt"), _f("irrigated", B, "Орошение", "Irrigated")],
     "rows": lambda n: _by_municipality(lambda rng: [round(rng.uniform(50, 900), 1), rng.random() < 0.3])},
    {"owner": "natural-resources", "code": "waterquality", "title": "Качество воды в точках наблюдения",
     "keywords": ["экология", "вода"], "subject": "ecology", "frequency": "monthly", "base": 400,
     "fields": [_f("point", S, "Точка наблюдения", "Point", required=True), _f("measured", D, "Дата", "Date"),
                _f("ph", N, "pH", "pH"), _f("lat", N, "Широта", "Latitude"), _f("lon", N, "Долгота", "Longitude")],
     "rows": lambda n: lambda rng: [[f"Пост {i % 40 + 1}", dt.date(2025, 1, 1) + dt.timedelta(days=i % 365),
                                     round(rng.uniform(6.2, 8.6), 2), *_point(rng, 0.1)[1:]] for i in range(n)]},
    {"owner": "construction", "code": "permits", "title": "Выданные разрешения на строительство",
     "keywords": ["строительство", "разрешения"], "subject": "construction", "frequency": "monthly", "base": 500,
     "fields": [_f("number", S, "Номер разрешения", "Permit number", required=True),
                _f("issued", D, "Дата выдачи", "Issued"), _f("municipality", S, "Муниципальное образование",
                                                             "Municipality"),
                _f("object", S, "Объект", "Object"), _f("floors", INT, "Этажность", "Floors")],
     "rows": lambda n: lambda rng: [[f"23-RU-{10000 + i}", dt.date(2025, 1, 1) + dt.timedelta(days=i % 330),
                                     rng.choice(MUNICIPALITIES)["name"],
                                     rng.choice(["жилой дом", "магазин", "склад", "школа"]), rng.randint(1, 25)]
                                    for i in range(n)]},
]


@demo_loader(order=90)
def load_open_data(*, scale: int, stdout, rng: random.Random) -> list[str]:
    orgs = {o.code: o for o in organisation_list()}
    services.live_refresh_all()
    made = 0
    for spec in DATASETS:
        owner = orgs.get(spec["owner"])
        local = random.Random(f"opendata:{spec['code']}:{scale}")
        if owner is None:
            continue
        identifier = f"{owner.inn or '0000000000'}-{spec['code']}"
        dataset = Dataset.objects.filter(identifier=identifier).first()
        if dataset is None:
            dataset = Dataset.objects.create(
                identifier=identifier, title=spec["title"], owner=owner, status=Dataset.Status.PUBLISHED,
                description=(f"{spec['title']}. Набор сформирован {owner.name} по данным ведомственного учёта; "
                             "обновляется в соответствии с планом публикации открытых данных края."),
                keywords=spec["keywords"], subject=spec["subject"], frequency=spec["frequency"],
                licence="CC-BY-4.0", spatial="Краснодарский край", temporal_start=dt.date(2024, 1, 1),
                responsible_name=f"Ответственный за открытые данные ({owner.short_name or owner.name})",
                responsible_email=owner.email or f"opendata@{spec['owner']}.demo.krai",
                responsible_phone=owner.phone or "+7 861 000-00-00",
                structure=ingest.clean_structure(spec["fields"]))
        if dataset.versions.exists():
            continue
        rows = spec["rows"](max(1, spec["base"]) * scale)(local)
        structure = dataset.structure
        names = [f["name"] for f in structure["fields"]]
        typed = list(ingest.typed_rows(names, ((n, r) for n, r in enumerate(rows, start=1)), structure["fields"]))
        content = b"".join(_blocks(csv_parts(names, ([0, *r] for r in typed))))
        services._store_version(actor=None, dataset=dataset, rows=typed, content=content, source_format="csv",
                                source_name=f"{spec['code']}.csv", encoding="utf-8",
                                checksum=hashlib.sha256(content).hexdigest(), provenance="Первая публикация",
                                valid=None)
        made += 1
    stdout.write(f"    open data: {Dataset.objects.count()} datasets, {made} uploaded now\n")
    return ["/opendata/ — the open-data catalogue; /workspace/opendata/ for publishers (head.health@demo.krai)"]
