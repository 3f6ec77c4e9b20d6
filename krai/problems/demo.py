"""Demo data of the problems area: the themes, a routing table, ``2,500 × scale`` problems over the 44 municipalities.

Statuses are spread like a working year (awaiting moderation, routed — some overdue — in work, planned,
fixed and rated, reopened, closed, rejected); photos are left out. Open problems are put on control in
the orders area's engine (when it is installed) on the day they were routed, so the bodies' dashboards
show them beside their orders. An Open311 key ``demo-open311-key`` lets an Open311 client post.

Idempotent and deterministic: themes and rules by their codes, problems by a seeded sequence — a
second run adds only what is missing. Problems and their histories are written in batches of 500 (one
INSERT each, plus one UPDATE for the demo's back-dated timestamps); only putting the open ones on control
goes one by one, through the engine's service.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from krai.core.demo import demo_loader
from krai.core.privacy import mask_personal
from krai.org.selectors import municipality_ids_at, municipality_list, organisation_list
from krai.problems import buckets, engine, grid
from krai.problems.models import Category, Open311Key, Problem, ProblemRating, ProblemUpdate, RoutingRule, _hash
from krai.problems.services.routing import due_date_for, route_for

PER_SCALE = 2500
DEMO_KEY = "demo-open311-key"

THEMES = [
    ("roads", "Дороги", "Roads", [
        ("pothole", "Яма на дороге", "Pothole", "яма, асфальт, выбоина"),
        ("road-marking", "Дорожные знаки и разметка", "Road signs and markings", "знак, разметка, светофор"),
        ("sidewalk", "Тротуары и пешеходные переходы", "Sidewalks and crossings", "тротуар, переход"),
    ]),
    ("lighting", "Освещение", "Lighting", [
        ("street-light", "Не горит уличный фонарь", "Street light out", "фонарь, свет, освещение"),
    ]),
    ("waste", "Мусор", "Waste", [
        ("garbage", "Невывезенный мусор", "Uncollected rubbish", "мусор, контейнер, ТКО"),
        ("dump", "Несанкционированная свалка", "Illegal dump", "свалка"),
    ]),
    ("yards", "Дворы и благоустройство", "Yards and improvement", [
        ("yard", "Благоустройство двора", "Yard improvement", "двор, скамейка, ограждение"),
        ("playground", "Детская площадка", "Playground", "площадка, качели"),
        ("trees", "Аварийные деревья и озеленение", "Dangerous trees and greenery", "дерево, ветки, газон"),
    ]),
    ("transport", "Общественный транспорт", "Public transport", [
        ("bus-stop", "Остановка общественного транспорта", "Bus stop", "остановка, павильон"),
        ("route", "Работа маршрута", "Route service", "автобус, маршрут, интервал"),
    ]),
    ("housing", "ЖКХ", "Housing and utilities", [
        ("roof", "Протекает крыша", "Leaking roof", "крыша, кровля"),
        ("heating", "Нет отопления или горячей воды", "No heating or hot water", "отопление, батареи"),
        ("water", "Перебои с водоснабжением", "Water supply interruptions", "вода, водопровод"),
    ]),
]

#: region-wide routing: theme code → organisation code (anything else goes to the municipality)
ROUTES = {
    "road-marking": "krasnodaravtodor",
    "route": "passenger-transport",
    "roof": "housing-inspection",
    "heating": "housing-inspection",
    "water": "kubanvodkompleks",
}

TEXTS = {
    "pothole": ["Глубокая яма на проезжей части, машины объезжают по встречной.",
                "После дождя яма заполняется водой, не видно глубины."],
    "road-marking": ["Стёрлась разметка на пешеходном переходе у школы.", "Упал дорожный знак «Уступи дорогу»."],
    "sidewalk": ["Разрушен тротуар, с коляской не пройти.", "На переходе нет пандуса."],
    "street-light": ["Не горят три фонаря подряд, вечером темно.", "Фонарь мигает уже неделю."],
    "garbage": ["Контейнеры переполнены, мусор не вывозят несколько дней.", "Мусор разносит ветер по двору."],
    "dump": ["За гаражами образовалась свалка строительного мусора.", "На пустыре выбрасывают мусор."],
    "yard": ["Во дворе сломаны скамейки и ограждение.", "Нет освещения во дворе многоквартирного дома."],
    "playground": ["На детской площадке сломаны качели.", "Горка с острыми краями, дети травмируются."],
    "trees": ["Сухое дерево нависает над дорогой.", "Ветки касаются проводов."],
    "bus-stop": ["На остановке разбито стекло павильона.", "Нет навеса на остановке."],
    "route": ["Автобус ходит раз в час вместо заявленных 20 минут.", "Маршрут не выходит на линию вечером."],
    "roof": ["Протекает крыша над последним этажом, управляющая компания не отвечает.",
             "Течёт кровля в подъезде после дождя."],
    "heating": ["В доме нет отопления, батареи холодные.", "Нет горячей воды третий день."],
    "water": ["Регулярно отключают воду без предупреждения.", "Низкое давление воды на верхних этажах."],
}
STREETS = ["ул. Красная", "ул. Северная", "ул. Мира", "ул. Ленина", "ул. Садовая", "ул. Школьная", "ул. Советская",
           "ул. Шоссейная", "ул. Набережная", "ул. Гагарина"]

#: (status, share): how a year of reports spreads
SPREAD = [("new", 0.07), ("rejected", 0.04), ("routed", 0.2), ("in_work", 0.12), ("planned", 0.1),
          ("fixed", 0.32), ("reopened", 0.03), ("closed", 0.12)]


def _themes() -> dict[str, Category]:
    categories = {}
    for order, (code, name, name_en, leaves) in enumerate(THEMES):
        parent, _created = Category.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "sort_order": order})
        for leaf_order, (leaf, leaf_name, leaf_en, keywords) in enumerate(leaves):
            days = 5 if leaf in ("heating", "water") else 10
            kind = Category.DayKind.CALENDAR if leaf in ("heating", "water") else Category.DayKind.WORKING
            categories[leaf], _created = Category.objects.get_or_create(code=leaf, defaults={
                "parent": parent, "name": leaf_name, "name_en": leaf_en, "keywords": keywords,
                "sort_order": leaf_order, "reaction_days": days, "day_kind": kind})
    return categories


def _routes(categories: dict[str, Category]) -> int:
    organisations = {o.code: o for o in organisation_list().filter(code__in=set(ROUTES.values()))}
    made = 0
    for theme, org_code in ROUTES.items():
        organisation = organisations.get(org_code)
        if organisation is None:
            continue
        _rule, created = RoutingRule.objects.get_or_create(category=categories[theme], municipality=None,
                                                           defaults={"organisation": organisation})
        made += created
    return made


def _point(rng: random.Random, municipality) -> tuple[float, float]:
    lon = municipality.centre_lon if municipality.centre_lon is not None else \
        (municipality.min_lon + municipality.max_lon) / 2
    lat = municipality.centre_lat if municipality.centre_lat is not None else \
        (municipality.min_lat + municipality.max_lat) / 2
    spread = 0.04 if municipality.kind == "urban_okrug" else 0.12
    return lon + rng.gauss(0, spread), lat + rng.gauss(0, spread)


def _status(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for status, share in SPREAD:
        total += share
        if roll < total:
            return status
    return "fixed"


@demo_loader(order=60)
def load_problems(*, scale: int, stdout: TextIO) -> list[str]:
    """Themes, routing rules, an Open311 key and ``2,500 × scale`` problems in every state, written in bulk."""
    categories = _themes()
    rules_made = _routes(categories)
    municipalities = [m for m in municipality_list() if m.boundary]
    people = get_user_model().objects.filter(is_active=True, email__endswith="@demo.krai")
    residents = list(people.filter(is_staff=False, email_confirmed=True).order_by("id")[:400])
    admin = people.filter(is_superuser=True).order_by("id").first()
    if admin is not None and not Open311Key.objects.filter(key_hash=_hash(DEMO_KEY)).exists():
        Open311Key.objects.create(name="Demo Open311 client", user=admin, prefix=DEMO_KEY[:8],
                                  key_hash=_hash(DEMO_KEY))
    target = PER_SCALE * scale
    existing = Problem.objects.filter(author__email__endswith="@demo.krai").count()
    if not municipalities or not residents or existing >= target:
        stdout.write(f"  problems: {existing} demo problems already there, {rules_made} routing rules added\n")
        return [f"{'Open311 api_key':<34} {DEMO_KEY}"]
    rng = random.Random(f"krai-demo-problems-{scale}")
    weights = [max(m.population, 1) for m in municipalities]
    codes = list(categories)
    specs = []
    for n in range(target):
        municipality = rng.choices(municipalities, weights)[0]
        lon, lat = _point(rng, municipality)
        theme = categories[rng.choice(codes)]
        status = _status(rng)
        age = rng.randint(0, 120)
        if status in ("routed", "in_work", "reopened"):
            age %= 21  # reports still waiting are mostly recent: some overdue, not all
        specs.append((n, municipality, lon, lat, theme, residents[n % len(residents)], status, age,
                      rng.choice(TEXTS[theme.code]), f"{rng.choice(STREETS)}, {rng.randint(1, 120)}",
                      rng.randint(0, 1440), random.Random(f"krai-demo-problem-{scale}-{n}")))
    specs = specs[existing:]  # an earlier run made as many: add only the missing ones
    places = _places(specs, municipalities)
    today, now = timezone.localdate(), timezone.now()
    route = functools.cache(lambda theme, place: route_for(category=theme, municipality=place))
    due = functools.cache(due_date_for)
    made = put_on_control = 0
    for chunk in range(0, len(specs), BATCH):
        rows = []
        for spec, (place, lon, lat) in zip(specs[chunk:chunk + BATCH], places[chunk:chunk + BATCH], strict=True):
            if place is None:
                continue
            _n, _m, _lon, _lat, theme, author, status, age, text, address, minutes, own = spec
            created = now - dt.timedelta(days=age, minutes=minutes)
            rows.append(_make(own, theme=theme, place=place, author=author, status=status, created=created,
                              lon=lon, lat=lat, text=text, address=address, today=today, route=route, due=due))
        with transaction.atomic():
            made += _save(rows)
            if engine.available():
                put_on_control += sum(_control(problem, issued=problem.routed_at.date()) for problem, _u in rows
                                      if problem.status in Problem.AWAITING_REACTION and problem.organisation_id)
    if made:
        grid.rebuild()  # written in bulk, past the services that keep the map's grid
        buckets.rebuild()
    stdout.write(f"  problems: {made} problems ({put_on_control} on control), {rules_made} routing rules\n")
    return [f"{'Open311 api_key':<34} {DEMO_KEY}"]


BATCH = 500


def _places(specs: list, municipalities: list) -> list[tuple]:
    """Each problem's municipality by its boundary, all points at once; a point outside (a coastal cell, a
    skewed one) moves to the middle of its municipality's box, else its centre, else the problem is left out."""
    located = municipality_ids_at([(spec[2], spec[3]) for spec in specs])
    by_id = {m.pk: m for m in municipalities}
    fallbacks = {}
    for municipality in {spec[1].pk: spec[1] for spec in specs}.values():
        for lon, lat in (((municipality.min_lon + municipality.max_lon) / 2,
                          (municipality.min_lat + municipality.max_lat) / 2),
                         (municipality.centre_lon, municipality.centre_lat)):
            if lon is not None and (found := municipality_ids_at([(lon, lat)])[0]) is not None:
                fallbacks[municipality.pk] = (by_id.get(found, municipality), lon, lat)
                break
    places = []
    for spec, found in zip(specs, located, strict=True):
        if found is not None:
            places.append((by_id.get(found, spec[1]), spec[2], spec[3]))
        else:
            places.append(fallbacks.get(spec[1].pk, (None, None, None)))
    return places


def _save(rows: list[tuple[Problem, list]]) -> int:
    """Write a batch of problems and their histories with three statements (the timestamps are the demo's)."""
    problems = [problem for problem, _updates in rows]
    stamps = [(problem.created_at, problem.updated_at) for problem in problems]
    Problem.objects.bulk_create(problems)
    for problem, (created, updated) in zip(problems, stamps, strict=True):
        problem.created_at, problem.updated_at = created, updated
    Problem.objects.bulk_update(problems, ["created_at", "updated_at"])
    ProblemUpdate.objects.bulk_create([
        ProblemUpdate(problem=problem, kind=kind, status=after, created_at=when, text=note,
                      actor=problem.author if kind in ("reported", "rated", "reopened") else None,
                      organisation=problem.organisation if kind in ("published", "answered") else None)
        for problem, updates in rows for kind, after, when, note in updates])
    # the author's rating of the first fix, as problem_rate writes it
    ProblemRating.objects.bulk_create([
        ProblemRating(problem=problem, user=problem.author, cycle=1, value=problem.rating,
                      comment=problem.rating_comment, is_author=True, created_at=problem.answered_at)
        for problem in problems if problem.rating is not None and problem.author_id])
    return len(problems)


def _make(rng, *, theme, place, author, status, created, lon, lat, text, address, today, route=None,
          due=None) -> tuple[Problem, list]:
    """An unsaved demo problem in ``status`` and the history that led there."""
    route = route or (lambda theme, place: route_for(category=theme, municipality=place))
    due = due or due_date_for
    problem = Problem(category=theme, municipality=place, author=author, lat=lat, lon=lon, address=address,
                      description=text, public_description=mask_personal(text), status=status,
                      anonymous=rng.random() < 0.1)
    updates = [("reported", "new", created, "")]
    if status == "rejected":
        problem.moderation_reason = "Обращение не содержит описания проблемы."
        problem.closed_at = created + dt.timedelta(hours=5)
        updates.append(("rejected", "rejected", problem.closed_at, problem.moderation_reason))
    elif status != "new":
        problem.organisation = route(theme, place)
        if problem.organisation is None:
            problem.status = status = "new"
        else:
            problem.routed_at = created + dt.timedelta(hours=rng.randint(1, 30))
            problem.due_date = due(theme, problem.routed_at.date())
            updates.append(("published", "routed", problem.routed_at, ""))
    if status in ("in_work", "planned", "fixed", "reopened", "closed"):
        updates.append(("in_work", "in_work", problem.routed_at + dt.timedelta(days=1), ""))
    if status in ("planned", "fixed", "reopened", "closed"):
        answered = min(problem.routed_at + dt.timedelta(days=rng.randint(2, 16)), timezone.now())
        problem.answered_at = answered
        if status == "planned":
            problem.answer, problem.planned_date = "planned", today + dt.timedelta(days=rng.randint(20, 200))
            problem.answer_text = "Работы включены в план ремонта на текущий год."
            problem.programme = rng.choice(["Муниципальная программа «Комфортная городская среда»",
                                            "Программа ремонта дорог местного значения", ""])
        elif status == "closed":
            problem.answer = "declined"
            problem.answer_text = "Объект находится в частной собственности; собственник уведомлён (ст. 210 ГК РФ)."
            problem.closed_at = answered
        else:
            problem.answer, problem.answer_text, problem.closed_at = "fixed", "Работы выполнены.", answered
        updates.append(("answered", "planned" if status == "planned" else
                        ("closed" if status == "closed" else "fixed"), answered, problem.answer_text))
        if status in ("fixed", "reopened") and rng.random() < 0.7:
            problem.rating = 1 if status == "reopened" else rng.choice([3, 4, 4, 5, 5, 5])
            problem.rating_comment = "Яма осталась на месте." if status == "reopened" else ""
            problem.ratings_count, problem.ratings_total = 1, problem.rating
            rated = answered + dt.timedelta(days=1)
            updates.append(("rated", "fixed", rated, problem.rating_comment))
            if status == "reopened":
                problem.closed_at = None
                problem.due_date = due(theme, rated.date())
                problem.cycle = 2
                updates.append(("reopened", "reopened", rated, problem.rating_comment))
        elif status == "reopened":
            problem.status = "fixed"
    problem.created_at, problem.updated_at = created, updates[-1][2]
    return problem, updates


def _control(problem: Problem, *, issued: dt.date) -> int:
    """Put an open demo problem on control as of the day it was routed (its deadline may be past: overdue)."""
    from importlib import import_module

    control = import_module("krai.orders.services")
    try:
        with transaction.atomic():
            control.control_open(actor=None, kind=engine.KIND, subject=problem, title=f"Обращение №{problem.pk}",
                                 executor_organisation=problem.organisation, deadline=problem.due_date,
                                 text=problem.public_description, issued_on=issued)
    except (ValidationError, PermissionDenied):  # the engine's own refusals must not stop the demo
        return 0
    return 1
