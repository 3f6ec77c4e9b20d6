"""Demo media monitoring: four outlets, a month of articles (some stories told by several outlets), topics of the
Department of Control and of the Ministry of Health, and a flood that spikes today.

The demo's sources are the outlets' real feed addresses but switched *off*: a demo installation reaches no outside
address by itself (an operator switches a source on). The articles are written here and taken in as a poll takes
them (stories, mentions, search), then today's spikes are detected. Idempotent: nothing is added when the demo's
first source exists.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from krai.core.demo import demo_loader
from krai.monitoring.media import feeds, ingest
from krai.monitoring.media.models import Level, Source, Topic
from krai.monitoring.media.services.spikes import detect_spikes
from krai.org.models import Municipality, Organisation, User

OUTLETS = [
    ("Кубань 24", "https://kuban24.tv/rss", Level.REGIONAL),
    ("Кубанские новости", "https://kubnews.ru/rss/", Level.REGIONAL),
    ("Юга.ру", "https://www.yuga.ru/rss/", Level.REGIONAL),
    ("ТАСС", "https://tass.ru/rss/v2.xml", Level.FEDERAL),
]
STORIES = [
    "Губернатор края провёл совещание по подготовке к курортному сезону в Сочи. Главам муниципалитетов поручено "
    "завершить ремонт набережных и пляжей до первого июня, а министерству курортов — проверить готовность гостиниц.",
    "Министерство здравоохранения Краснодарского края открыло новый фельдшерско-акушерский пункт в станице "
    "Полтавской. В пункте будут принимать фельдшер и акушерка, оборудование закуплено по национальному проекту.",
    "В Сочи начался ремонт дороги на улице Навагинской. Движение ограничат на месяц, подрядчик обещает работать "
    "круглосуточно, а администрация города — следить за графиком еженедельно.",
    "Минздрав края напоминает о вакцинации от гриппа. Привиться можно в любой поликлинике по месту жительства, "
    "прививочные пункты работают и в торговых центрах Краснодара.",
    "Губернатора края поблагодарили жители Армавира за новый детский сад на триста мест. Детский сад построен "
    "за год, в нём есть бассейн и спортивный зал.",
    "На федеральной трассе в Краснодарском крае завершили реконструкцию моста. Движение по мосту открыто в обе "
    "стороны, грузовики смогут объехать пробку у Горячего Ключа.",
]
FLOOD = ("Паводок в Краснодарском крае: из-за ливней поднялась вода в реках Пшиш и Белая. Подтоплены дворы в "
         "{n} посёлках, спасатели эвакуируют жителей, работает горячая линия.")


def _author(email: str) -> User | None:
    return User.objects.filter(email=email).first()


@demo_loader(order=74)
@transaction.atomic
def load_media(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    if Source.objects.filter(url=OUTLETS[0][1]).exists():
        return []
    control = _author("head.control@demo.krai") or User.objects.filter(is_staff=True).order_by("pk").first()
    if control is None:
        return []
    sources = [Source.objects.create(name=name, url=url, level=level, active=False, fetch_pages=False)
               for name, url, level in OUTLETS]
    governor = _author("governor@demo.krai")
    health = Organisation.objects.filter(code="health").first()
    sochi = Municipality.objects.filter(code="sochi").first()
    topics = [Topic(name="Паводок", kind=Topic.Kind.KEYWORDS, terms="паводок\nподтопление\nэвакуация",
                    owner=control)]
    if governor:
        topics.append(Topic(name="Губернатор", kind=Topic.Kind.PERSON, person=governor, terms="губернатор края",
                            owner=control))
    if health:
        topics.append(Topic(name="Минздрав края", kind=Topic.Kind.ORGANISATION, organisation=health,
                            terms="минздрав края", owner=_author("head.health@demo.krai") or control))
    if sochi:
        topics.append(Topic(name="Сочи", kind=Topic.Kind.MUNICIPALITY, municipality=sochi, owner=control))
    Topic.objects.bulk_create(topics)
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    for back in range(30, -1, -1):
        noon = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=back), dt.time(12)))
        when = min(noon, now - dt.timedelta(minutes=30))
        run = ingest.Run.start(now=when + dt.timedelta(minutes=5))
        texts = rng.sample(STORIES, rng.randint(1, 3))
        if back in (9, 20) or back == 0:  # the flood: a little twice, then a storm today
            texts += [FLOOD.format(n=n) for n in range(2 if back else 10 * scale)]
        for i, text in enumerate(texts):
            source = sources[(back + i) % len(sources)]
            tellers = [source] + ([sources[(back + i + 1) % len(sources)]] if i == 0 and back % 4 == 0 else [])
            for teller in tellers:
                title = text.split(". ")[0][:200]
                entry = feeds.Entry(url=f"{teller.url.rstrip('/')}/demo/{back}-{i}-{teller.pk}", guid="",
                                    title=title, summary=text[:200], content=text,
                                    published_at=when - dt.timedelta(minutes=7 * i))
                made += len(ingest.take_entries(teller, [entry], run))
    alerts = detect_spikes(day=today)
    stdout.write(f"  media: {len(sources)} sources (off), {made} articles, {len(topics)} topics, "
                 f"{len(alerts)} spikes today\n")
    return []
