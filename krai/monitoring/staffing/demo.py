"""Demo staffing: a table for each department and state company, built on the structure's posts and units.

The structure's holders become employments (started over the last two years, so the history moves), its empty
posts vacancies; every body gets a few more specialist rates, some vacant, and the unit heads' and deputies'
posts are critical — a share of them vacant longer than the setting's days (health always has one), so the
risks list and the journey have something to show. Idempotent: a body that has a table is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.monitoring.staffing.models import Employment, StaffingTable, StaffPosition, Vacancy
from krai.org.models import Organisation, Position

EXTRA = [("Главный специалист-эксперт", "specialist"), ("Ведущий специалист-эксперт", "specialist"),
         ("Специалист 1 разряда", "support"), ("Водитель", "worker")]


def _body_table(body: Organisation, rng: random.Random, today: dt.date) -> tuple[int, int]:
    table = StaffingTable.objects.create(organisation=body, act_number=f"{rng.randint(100, 999)}-шр",
                                         act_date=today - dt.timedelta(days=740),
                                         valid_from=today - dt.timedelta(days=730))
    units = [body, *Organisation.objects.filter(parent=body).order_by("code")]
    vacancies = employments = 0
    order = 0
    for unit in units:
        posts = list(Position.objects.filter(organisation=unit).select_related("holder")
                     .order_by("-is_head", "sort_order", "pk"))
        specs = [(p.title, "leader" if p.is_head or "аместитель" in p.title else "specialist", p, p.holder)
                 for p in posts]
        for k, (title, category) in enumerate(rng.sample(EXTRA, rng.randint(1, 3))):
            # health: each unit's first extra post is a critical vacancy (the risks and the journey's)
            vacant = (body.code == "health" and k == 0) or rng.random() < 0.25
            specs.append((title, category, None, "vacant" if vacant else "named"))
        for title, category, post, holder in specs:
            order += 1
            critical = category == "leader" or (body.code == "health" and holder == "vacant")
            position = StaffPosition.objects.create(table=table, unit=unit, title=title, category=category,
                                                    rate=Decimal("1") if rng.random() > 0.1 else Decimal("0.5"),
                                                    position=post, critical=critical, sort_order=order)
            if holder is None or holder == "vacant":
                # health's first critical vacancy is always overdue (the journey's risk)
                overdue = critical and (body.code == "health" or rng.random() < 0.6)
                opened = today - dt.timedelta(days=rng.randint(75, 300) if overdue else rng.randint(5, 50))
                Vacancy.objects.create(staff_position=position, opened_on=opened, critical=critical)
                vacancies += 1
                continue
            name = holder.full_name if post is not None else _name(rng)
            started = today - dt.timedelta(days=rng.randint(30, 900))
            Employment.objects.create(staff_position=position, person=holder if post is not None else None,
                                      person_name=name, rate=position.rate, started_on=started,
                                      acting=rng.random() < 0.05, on_leave=rng.random() < 0.07)
            employments += 1
            if rng.random() < 0.3:  # a predecessor who left: the history dips before the current holder came
                before = started - dt.timedelta(days=rng.randint(20, 120))
                Employment.objects.create(staff_position=position, person_name=_name(rng), rate=position.rate,
                                          started_on=before - dt.timedelta(days=rng.randint(100, 600)),
                                          ended_on=before)
    return vacancies, employments


SURNAMES = ["Кузнецова", "Смирнов", "Попова", "Васильев", "Петрова", "Соколов", "Михайлова", "Новиков",
            "Фёдорова", "Морозов", "Волкова", "Алексеев", "Лебедева", "Семёнов", "Егорова", "Павлов"]
INITIALS = "АБВГДЕИКЛМНОПРСТ"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}. {rng.choice(INITIALS)}."


@demo_loader(order=70)
def load_staffing(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    today = timezone.localdate()
    bodies = Organisation.objects.filter(kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.STATE_COMPANY],
                                         is_active=True).order_by("code")
    made = vacancies = employments = 0
    for body in bodies:
        if StaffingTable.objects.filter(organisation=body).exists():
            continue
        v, e = _body_table(body, random.Random(f"krai-demo-staffing:{body.code}"), today)
        made, vacancies, employments = made + 1, vacancies + v, employments + e
    stdout.write(f"  staffing: {made} tables, {employments} employments, {vacancies} vacancies\n")
    return []
