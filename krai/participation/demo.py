"""Demo data of participation: polls (open and closed, with votes), priorities with two published ranks,
government services with ratings and monthly ranks, an ideas campaign with ideas, support and answers.

Runs after the org loader and uses its citizens (``citizen.NNNNN@demo.krai``); only confirmed accounts
vote, only verified residents vote for priorities, exactly as the services insist. The demo citizen
``citizen@demo.krai`` is left out of every open vote so that whoever signs in as him can vote himself.

Idempotent: polls, campaigns and ideas are found by title, priorities and services by code; votes of a
poll, a period or a month are written only when there are none yet, and published ranks are built only
when missing (they never change). Deterministic: the choices come from the loader's seeded ``rng`` over
citizens ordered by e-mail. Dates are relative to the day of loading (an open poll must be open).
Rows are written directly, like the org demo (seeded data, not domain actions: no events), but counting,
freezing and rank builds go through the same code as in production.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.org.models import Municipality, Organisation, User
from krai.participation import periods
from krai.participation.models import (
    Answer,
    Ballot,
    Campaign,
    GovService,
    Idea,
    IdeaSupport,
    Option,
    Participation,
    Poll,
    PollResult,
    Priority,
    PriorityVote,
    Question,
    RankBuild,
    ServiceRankBuild,
    ServiceRating,
    Suggestion,
)
from krai.participation.selectors.polls import ballots_checksum, poll_tally, voter_key
from krai.participation.services.priorities import rank_build, votes_per_period
from krai.participation.services.ratings import service_ranks_build

DOMAIN = "demo.krai"
DEMO_CITIZEN = f"citizen@{DOMAIN}"

# --- the catalogue ---------------------------------------------------------------------------------

POLLS = [
    {"title": "Маршрутная сеть Краснодара: что изменить?", "organisation": "passenger-transport",
     "municipalities": ["krasnodar"], "opens": -10, "closes": 20, "results_during": True, "allow_change": True,
     "turnout": 0.7,
     "description": "Департамент транспорта готовит новую маршрутную сеть. Скажите, что для вас важнее.",
     "questions": [
         ("single", "Каким транспортом вы ездите чаще всего?", ["Трамвай", "Троллейбус", "Автобус", "Маршрутное такси",
                                                              "Личный автомобиль"]),
         ("multiple", "Что улучшить в первую очередь?", ["Интервалы движения", "Ночные маршруты",
                                                         "Выделенные полосы", "Остановки и навесы",
                                                         "Оплата картой и по QR-коду"]),
         ("scale", "Как вы оцениваете общественный транспорт сейчас?", []),
     ]},
    {"title": "Набережная Сочи: что добавить?", "organisation": "energy-housing", "municipalities": ["sochi"],
     "opens": -3, "closes": 27, "results_during": True, "turnout": 0.5,
     "description": "Город готовит обновление набережной. Проголосуйте, если вы живёте в Сочи.",
     "questions": [
         ("single", "Что добавить на набережной в первую очередь?", ["Тень и навесы", "Питьевые фонтанчики",
                                                                    "Велодорожку", "Спортивные площадки"]),
     ]},
    {"title": "Благоустройство парков и скверов края", "organisation": "energy-housing", "opens": -5, "closes": 25,
     "turnout": 0.4,
     "description": "Какие работы в парках и скверах провести в следующем году.",
     "questions": [
         ("ranked", "Расставьте работы по важности", ["Освещение", "Детские площадки", "Скамейки и урны",
                                                      "Велодорожки", "Общественные туалеты"]),
         ("free", "Что ещё нужно вашему парку?", []),
     ]},
    {"title": "Приоритеты молодёжной политики на 2026 год", "organisation": "youth", "opens": -60, "closes": -20,
     "turnout": 0.5,
     "description": "Итоги опроса учтены при подготовке краевой программы.",
     "questions": [
         ("single", "Что важнее всего для молодёжи края?", ["Первое рабочее место", "Доступное жильё",
                                                            "Спорт и досуг", "Поддержка молодых семей"]),
         ("scale", "Насколько вы знаете о краевых молодёжных программах?", []),
     ]},
    {"title": "Работа многофункциональных центров", "organisation": "digital", "opens": -90, "closes": -45,
     "turnout": 0.35, "residents_only": True, "secret": False,
     "questions": [
         ("scale", "Оцените работу МФЦ в вашем районе", []),
         ("single", "Сколько вы ждали в очереди в последний раз?", ["Меньше 10 минут", "10–30 минут",
                                                                     "Больше 30 минут"]),
     ]},
]

REGIONAL_PRIORITIES = [
    ("roads", "Ремонт дорог и тротуаров", "Дороги между населёнными пунктами и улицы городов."),
    ("health", "Доступная медицина", "Поликлиники, фельдшерско-акушерские пункты, скорая помощь."),
    ("schools", "Новые школы и детские сады", "Чтобы учиться в одну смену рядом с домом."),
    ("transport", "Общественный транспорт", "Новые автобусы и трамваи, удобные маршруты."),
    ("water", "Чистая вода и канализация", "Водопроводы и очистные сооружения."),
    ("gas", "Газификация посёлков", "Подвести газ к домам в сёлах и станицах."),
    ("parks", "Парки, скверы и набережные", "Места отдыха рядом с домом."),
    ("sport", "Спортивные площадки", "Площадки во дворах и физкультурные комплексы."),
]
MUNICIPAL_PRIORITIES = {
    "krasnodar": [("flooding", "Ливневая канализация", "Чтобы улицы не затапливало после дождя."),
                  ("interchanges", "Развязки на въездах в город", "Меньше пробок на въездах.")],
    "sochi": [("coast", "Берегоукрепление", "Защита пляжей и набережных от штормов."),
              ("mountain-roads", "Дороги в горные сёла", "Круглогодичный проезд.")],
    "novorossiysk": [("port-traffic", "Вывести грузовики из центра", "Объездная дорога к порту."),
                     ("embankment", "Реконструкция набережной", "Набережная от морвокзала до мыса.")],
}

SERVICES = [
    ("marriage-registration", "civil-registry", "Государственная регистрация заключения брака"),
    ("birth-registration", "civil-registry", "Государственная регистрация рождения"),
    ("doctor-appointment", "health", "Запись на приём к врачу"),
    ("school-enrolment", "education", "Запись ребёнка в первый класс"),
    ("kindergarten-queue", "education", "Постановка в очередь в детский сад"),
    ("large-family-status", "labour", "Присвоение статуса многодетной семьи"),
    ("construction-permit", "architecture", "Выдача разрешения на строительство"),
    ("taxi-licence", "transport", "Разрешение на перевозку пассажиров легковым такси"),
    ("hunting-licence", "wildlife", "Выдача разрешения на добычу охотничьих ресурсов"),
    ("archive-certificate", "archives", "Выдача архивных справок"),
]
#: a service's usual marks (quality, convenience, speed): some are better than others, as in life
SERVICE_MEANS = [(4.6, 4.4, 4.5), (4.4, 4.3, 4.6), (3.4, 3.0, 2.8), (4.0, 3.6, 3.9), (3.2, 3.4, 2.6),
                 (4.1, 3.8, 3.5), (3.0, 2.7, 2.4), (4.2, 4.4, 4.3), (3.9, 3.7, 4.0), (4.3, 3.9, 3.3)]
COMMENTS = ["Всё быстро и вежливо.", "Долго ждал ответа, пришлось звонить.", "Удобно подать заявление онлайн.",
            "Сайт не открывался с телефона.", "Сотрудники помогли заполнить заявление.", ""]

CAMPAIGN = {
    "title": "Идеи для набережной Кубани", "topic": "Набережная", "municipality": "krasnodar",
    "organisation": "architecture", "starts": -20, "ends": 40,
    "description": "Город готовит проект набережной от Тургеневского моста до парка «Солнечный остров». "
                   "Предложите, какой она должна быть.",
}
IDEAS = [
    ("Велодорожка вдоль всей набережной", "published", "accepted", "Велодорожка включена в проект."),
    ("Тень: деревья и навесы", "published", "in_work", "Подбираем породы деревьев для посадки весной."),
    ("Прокат лодок и причал", "published", "rejected", "Течение реки в этом месте опасно для прогулочных лодок."),
    ("Фонтаны для детей летом", "published", "new", ""),
    ("Площадка для выгула собак", "published", "new", ""),
    ("Летняя сцена для концертов", "pending", "new", ""),
]


# --- helpers ---------------------------------------------------------------------------------------

def _citizens() -> list[User]:
    """Confirmed demo residents (not staff, not the demo citizen), in a stable order."""
    return list(User.objects.filter(email__endswith=f"@{DOMAIN}", is_staff=False, email_confirmed=True,
                                    is_active=True).exclude(email=DEMO_CITIZEN).order_by("email"))


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _poll(spec: dict, *, today: dt.date, orgs: dict[str, Organisation], munis: dict[str, Municipality],
          citizens: list[User], rng: random.Random) -> tuple[Poll, bool]:
    poll = Poll.objects.filter(title=spec["title"]).first()
    if poll is not None:
        return poll, False
    opens, closes = _aware(today + dt.timedelta(days=spec["opens"])), _aware(today + dt.timedelta(days=spec["closes"]))
    closed = closes <= timezone.now()
    poll = Poll.objects.create(
        title=spec["title"], description=spec.get("description", ""), organisation=orgs.get(spec["organisation"]),
        audience=Poll.Audience.MUNICIPALITIES if spec.get("municipalities") else Poll.Audience.REGION,
        residents_only=spec.get("residents_only", False), opens_at=opens, closes_at=closes,
        results_during=spec.get("results_during", False), allow_change=spec.get("allow_change", False),
        secret=spec.get("secret", True), status=Poll.Status.PUBLISHED)
    poll.municipalities.set([munis[code] for code in spec.get("municipalities", [])])
    questions = []
    for position, (kind, text, options) in enumerate(spec["questions"], start=1):
        question = Question.objects.create(poll=poll, position=position, text=text, kind=kind,
                                           required=kind != Question.Kind.FREE)
        Option.objects.bulk_create(Option(question=question, position=n, text=option)
                                   for n, option in enumerate(options, start=1))
        questions.append((question, list(question.options.order_by("position"))))
    allowed = {munis[code].pk for code in spec.get("municipalities", [])}
    # as the vote service has it: a municipality's poll, and a ballot's municipality, take a verified residence only
    voters = [u for u in citizens if (not allowed or (u.residence_verified and u.home_municipality_id in allowed))
              and (not poll.residents_only or (u.residence_verified and u.home_municipality_id))]
    voters = [u for u in voters if rng.random() < spec["turnout"]]
    span = max((min(closes, timezone.now()) - opens).total_seconds(), 60)
    answers: list[Answer] = []
    for user in voters:
        when = opens + dt.timedelta(seconds=rng.uniform(0, span))
        Participation.objects.create(poll=poll, user=user, voted_at=when)
        ballot = Ballot.objects.create(poll=poll, voter_key=voter_key(poll, user.pk),
                                       voter=None if poll.secret else user,
                                       municipality_id=user.home_municipality_id if user.residence_verified else None,
                                       cast_at=None if poll.secret else when)
        for question, options in questions:
            if question.kind == Question.Kind.SINGLE:
                weights = [len(options) - n + rng.random() * 2 for n in range(len(options))]
                answers.append(Answer(ballot=ballot, question=question, option=rng.choices(options, weights)[0]))
            elif question.kind == Question.Kind.MULTIPLE:
                for option in rng.sample(options, rng.randint(1, 3)):
                    answers.append(Answer(ballot=ballot, question=question, option=option))
            elif question.kind == Question.Kind.RANKED:
                order = sorted(options, key=lambda o: rng.random() * (1 + o.position / 3))
                for place, option in enumerate(order[:rng.randint(2, len(order))], start=1):
                    answers.append(Answer(ballot=ballot, question=question, option=option, rank=place))
            elif question.kind == Question.Kind.SCALE:
                value = min(max(round(rng.gauss(3.4, 1.0)), question.scale_min), question.scale_max)
                answers.append(Answer(ballot=ballot, question=question, value=value))
            elif rng.random() < 0.3:
                answers.append(Answer(ballot=ballot, question=question,
                                      text=rng.choice(["Больше фонарей", "Питьевые фонтанчики", "Тренажёры",
                                                       "Площадка для собак", "Беседки"])))
    Answer.objects.bulk_create(answers, batch_size=2000)
    if closed:  # frozen as the closing job would have frozen it
        poll.status, poll.closed_at = Poll.Status.CLOSED, closes
        poll.save(update_fields=["status", "closed_at"])
        count, checksum = ballots_checksum(poll)
        PollResult.objects.create(poll=poll, ballots=count, checksum=checksum, data=poll_tally(poll), frozen_at=closes)
    return poll, True


def _priorities(munis: dict[str, Municipality]) -> list[Priority]:
    made = []
    for order, (code, title, description) in enumerate(REGIONAL_PRIORITIES, start=1):
        made.append(Priority.objects.get_or_create(code=f"demo-{code}", defaults={
            "title": title, "description": description, "sort_order": order})[0])
    for muni_code, rows in MUNICIPAL_PRIORITIES.items():
        for order, (code, title, description) in enumerate(rows, start=1):
            made.append(Priority.objects.get_or_create(code=f"demo-{muni_code}-{code}", defaults={
                "title": title, "description": description, "sort_order": order,
                "municipality": munis[muni_code]})[0])
    return made


def _priority_votes(period: periods.Period, *, priorities: list[Priority], voters: list[User],
                    rng: random.Random) -> int:
    """Votes of ``period`` from verified residents, each within the period, as many as the setting allows."""
    if PriorityVote.objects.filter(period=period.key).exists():
        return 0
    limit = votes_per_period()
    # every period its own popularity, so the ranks move between periods
    appeal = {p.pk: rng.uniform(0.5, 3.0) for p in priorities}
    start = _aware(period.start, 0)
    span = (min(_aware(period.end, 0), timezone.now()) - start).total_seconds()
    rows = []
    for user in voters:
        if rng.random() < 0.25:
            continue
        choices = [p for p in priorities if p.municipality_id in (None, user.home_municipality_id)]
        picked: list[Priority] = []
        for _n in range(rng.randint(1, limit)):
            rest = [p for p in choices if p not in picked]
            if not rest:
                break
            picked.append(rng.choices(rest, [appeal[p.pk] for p in rest])[0])
        for slot, priority in enumerate(picked, start=1):
            rows.append(PriorityVote(voter=user, priority=priority, municipality_id=user.home_municipality_id,
                                     period=period.key, slot=slot,
                                     created_at=start + dt.timedelta(seconds=rng.uniform(0, max(span, 60)))))
    PriorityVote.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _services(orgs: dict[str, Organisation]) -> list[GovService]:
    made = []
    for code, org, name in SERVICES:
        if org in orgs:
            made.append(GovService.objects.get_or_create(code=f"demo-{code}", defaults={
                "organisation": orgs[org], "name": name})[0])
    return made


def _mark(mean: float, rng: random.Random) -> int:
    return min(max(round(rng.gauss(mean, 0.9)), 1), 5)


def _ratings(month: dt.date, *, services: list[GovService], citizens: list[User], rng: random.Random) -> int:
    if ServiceRating.objects.filter(month=month).exists():
        return 0
    rows = []
    for index, service in enumerate(services):
        means = SERVICE_MEANS[index % len(SERVICE_MEANS)]
        # popular and rare services alike: from a handful of ratings to a third of the citizens
        share = [0.3, 0.2, 0.35, 0.1, 0.15, 0.03, 0.02, 0.05, 0.04, 0.08][index % 10]
        for user in citizens:
            if rng.random() < share:
                rows.append(ServiceRating(service=service, user=user, month=month,
                                          quality=_mark(means[0], rng), convenience=_mark(means[1], rng),
                                          speed=_mark(means[2], rng), comment=rng.choice(COMMENTS)))
    ServiceRating.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _campaign(*, today: dt.date, orgs: dict[str, Organisation], munis: dict[str, Municipality],
              citizens: list[User], rng: random.Random) -> Campaign:
    spec = CAMPAIGN
    campaign, _created = Campaign.objects.get_or_create(title=spec["title"], defaults={
        "topic": spec["topic"], "description": spec["description"], "municipality": munis[spec["municipality"]],
        "organisation": orgs.get(spec["organisation"]), "starts_on": today + dt.timedelta(days=spec["starts"]),
        "ends_on": today + dt.timedelta(days=spec["ends"])})
    if campaign.ideas.exists() or not citizens:
        return campaign
    now = timezone.now()
    for title, moderation, status, answer in IDEAS:
        author = rng.choice(citizens)
        idea = Idea.objects.create(
            campaign=campaign, author=author, title=title, moderation=moderation,
            body=f"{title}. Предлагаю учесть это в проекте набережной: так ей будут пользоваться круглый год.",
            moderated_at=now if moderation == "published" else None, status=status, answer=answer,
            answered_at=now if answer else None)
        if moderation == "published":
            supporters = [u for u in rng.sample(citizens, min(len(citizens), rng.randint(2, 40))) if u != author]
            IdeaSupport.objects.bulk_create(IdeaSupport(idea=idea, user=u) for u in supporters)
    return campaign


SUGGESTIONS = [
    ("category", "Бродячие животные", "Добавьте категорию для сообщений о бродячих собаках у школ и детских садов.",
     "accepted", "Категория появится в следующем обновлении справочника."),
    ("topic", "Освещение дворов", "Предлагаю отдельную тему про освещение дворов и пешеходных дорожек.", "", ""),
    ("category", "Шум от ночных заведений", "Нужна категория для жалоб на шум после 23:00.", "", ""),
]


def _suggestions(*, citizens: list[User], rng: random.Random) -> None:
    """A few suggestions outside the campaigns, one answered, for the staff's queue (by title: idempotent)."""
    if not citizens:
        return
    now = timezone.now()
    for kind, title, body, status, answer in SUGGESTIONS:
        if Suggestion.objects.filter(title=title).exists():
            continue
        Suggestion.objects.create(kind=kind, author=rng.choice(citizens), title=title, body=body,
                                  status=status or Suggestion.Status.NEW, answer=answer,
                                  answered_at=now if answer else None)


# --- the loader ------------------------------------------------------------------------------------

@demo_loader(order=40)
def load_participation(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    """Polls, priorities with two published ranks, services with ratings and ranks, an ideas campaign."""
    today = timezone.localdate()
    munis = {m.code: m for m in Municipality.objects.all()}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={s["organisation"] for s in POLLS}
                                                           | {row[1] for row in SERVICES}
                                                           | {CAMPAIGN["organisation"]})}
    if "krasnodar" not in munis:
        stdout.write("  participation: skipped (load the org demo first)\n")
        return []
    citizens = _citizens()
    polls_new = sum(_poll(spec, today=today, orgs=orgs, munis=munis, citizens=citizens, rng=rng)[1]
                    for spec in POLLS)

    priorities = _priorities(munis)
    verified = [u for u in citizens if u.residence_verified and u.home_municipality_id]
    current = periods.current_period()
    last, before = current.previous(), current.previous().previous()
    votes = 0
    for period in (before, last, current):
        votes += _priority_votes(period, priorities=priorities, voters=verified, rng=rng)
    for period in (before, last):
        if not RankBuild.objects.filter(period=period.key).exists():
            rank_build(actor=None, period=period.key)

    services = _services(orgs)
    this_month = periods.month_start(today)
    months = [this_month]
    for _n in range(3):
        months.insert(0, periods.month_start(months[0] - dt.timedelta(days=1)))
    ratings = sum(_ratings(month, services=services, citizens=citizens, rng=rng) for month in months)
    for month in months[:-1]:
        if not ServiceRankBuild.objects.filter(month=month).exists():
            service_ranks_build(actor=None, month=month)

    _campaign(today=today, orgs=orgs, munis=munis, citizens=citizens, rng=rng)
    _suggestions(citizens=citizens, rng=rng)
    stdout.write(f"  participation: {polls_new} new polls, {votes} priority votes, {ratings} service ratings; "
                 f"ranks of {before.key} and {last.key}\n")
    return [f"{DEMO_CITIZEN:<34} votes in polls and for priorities, rates services, suggests ideas"]
