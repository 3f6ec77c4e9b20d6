"""Demo court cases: about 60 over the departments, with hearings in the coming weeks and some with no next step.

Health's cases have exec1.unit1.health as their lawyer (so a lawyer's calendar and reminders have content) and at
least one hearing within a fortnight. Idempotent: cases are found by their stable numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.monitoring.lawsuits.models import CourtCase, Hearing, Stage, StageChange
from krai.org.models import Organisation, User

COURTS = ["Арбитражный суд Краснодарского края", "Краснодарский краевой суд", "Октябрьский районный суд г. Краснодара",
          "Ленинский районный суд г. Краснодара", "Пятнадцатый арбитражный апелляционный суд"]
PARTIES = ["ООО «СтройЮг»", "АО «Кубаньэнерго»", "ИП Сидоренко А. В.", "ООО «МедТехСнаб»", "Прокурор края",
           "ООО «Дорожник»", "Ковалёва Н. П.", "ПАО «Ростелеком»", "МУП «Водоканал»", "Гришин О. С."]
STAGES = [Stage.FILED, Stage.HEARINGS, Stage.HEARINGS, Stage.HEARINGS, Stage.DECISION, Stage.APPEAL,
          Stage.ENFORCEMENT, Stage.CLOSED, Stage.CLOSED]


@demo_loader(order=72)
def load_lawsuits(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    today = timezone.localdate()
    bodies = list(Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, is_active=True).order_by("code"))
    if not bodies:
        return []
    health = next((b for b in bodies if b.code == "health"), bodies[0])
    lawyers = {b.pk: User.objects.filter(email=f"exec1.unit1.{b.code}@demo.krai").first() for b in bodies}
    made = 0
    for n in range(60):
        body = health if n < 8 else bodies[n % len(bodies)]
        number = f"А32-{10000 + n * 37}/{today.year - (n % 2)}" if n % 3 else f"2-{300 + n}/{today.year}"
        court = COURTS[n % len(COURTS)]
        if CourtCase.objects.filter(number=number, court=court).exists():
            continue
        stage = Stage.HEARINGS if n < 6 else STAGES[rng.randrange(len(STAGES))]
        filed = today - dt.timedelta(days=rng.randint(40, 500))
        idle = n in (6, 7) or rng.random() < 0.12  # no next step: no hearing ahead, stage unchanged for long
        changed = filed + dt.timedelta(days=5) if idle else max(filed, today - dt.timedelta(days=rng.randint(1, 25)))
        outcome = rng.choice(["won", "lost", "partly", "settled", "withdrawn"]) if stage in (
            Stage.DECISION, Stage.APPEAL, Stage.ENFORCEMENT, Stage.CLOSED) else ""
        claimed = Decimal(rng.randint(50, 50_000)) * 1000
        case = CourtCase.objects.create(
            number=number, court=court, organisation=body, category=rng.choice(CourtCase.Category.values),
            instance=CourtCase.Instance.APPEAL if stage == Stage.APPEAL else CourtCase.Instance.FIRST,
            our_side=rng.choice(CourtCase.Side.values), other_parties=rng.choice(PARTIES), amount_claimed=claimed,
            stage=stage, stage_changed_on=changed, outcome=outcome,
            amount_awarded=(claimed * Decimal(rng.choice(["0", "0.5", "1"]))) if outcome else None,
            lawyer=lawyers.get(body.pk), filed_on=filed, closed_on=changed if stage == Stage.CLOSED else None,
            description="Иск о взыскании задолженности по контракту" if n % 2 else "Оспаривание предписания")
        StageChange.objects.create(case=case, stage=Stage.FILED, on=filed)
        if stage != Stage.FILED:
            StageChange.objects.create(case=case, stage=stage, on=changed)
        past = filed + dt.timedelta(days=rng.randint(10, 30))
        if past < today:
            Hearing.objects.create(case=case, starts_at=_at(past, 10), room=f"каб. {rng.randint(100, 420)}",
                                   result="Отложено для представления доказательств", reminded_early=True,
                                   reminded_day=True)
        if stage != Stage.CLOSED and not idle:
            ahead = today + dt.timedelta(days=(n % 6) + 1 if n < 6 else rng.randint(1, 40))
            Hearing.objects.create(case=case, starts_at=_at(ahead, 9 + n % 8), room=f"зал {rng.randint(1, 12)}")
        made += 1
    stdout.write(f"  lawsuits: {made} court cases\n")
    return []


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
