"""Demo consolidation: the demo installation plays the Department of Control's, receiving the orders of two
vice-governors' installations («Экономический блок», «Социальный блок») — about sixty orders stored directly as
received snapshots, as a push would have stored them (no network at demo time, no events: seeded data, not
domain actions). Some are overdue, some executed, some awaiting a decision on a report. The sources are shown
from these rows whether or not ``KRAI_CONSOLIDATION_SOURCES`` is set. Idempotent (by the sources' codes and the
orders' ids at their installations), deterministic (the loader's ``rng``).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.integration.consolidation.models import ConsolidatedOrder, ConsolidationSource

SOURCES = {
    "vice-economy": {
        "name": "Экономический блок", "url": "https://economy.krasnodar.example",
        "bodies": [("Министерство экономики Краснодарского края", "min-economy"),
                   ("Министерство финансов Краснодарского края", "min-finance"),
                   ("Министерство инвестиций и развития малого и среднего предпринимательства", "min-invest"),
                   ("Министерство сельского хозяйства и перерабатывающей промышленности", "min-agro"),
                   ("Министерство топливно-энергетического комплекса и ЖКХ", "min-energy")],
        "titles": ["Обеспечить подготовку объектов ЖКХ к отопительному периоду",
                   "Организовать мониторинг цен на социально значимые товары",
                   "Представить предложения по поддержке субъектов малого предпринимательства",
                   "Обеспечить исполнение плана по доходам консолидированного бюджета",
                   "Подготовить доклад о ходе реализации инвестиционных проектов",
                   "Завершить газификацию населённых пунктов по региональной программе",
                   "Провести совещание с сельхозтоваропроизводителями по уборочной кампании",
                   "Представить план мероприятий по снижению просроченной кредиторской задолженности",
                   "Обеспечить ввод в эксплуатацию объектов теплоснабжения",
                   "Подготовить предложения по развитию индустриальных парков"],
    },
    "vice-social": {
        "name": "Социальный блок", "url": "https://social.krasnodar.example",
        "bodies": [("Министерство здравоохранения Краснодарского края", "min-health"),
                   ("Министерство образования, науки и молодёжной политики", "min-education"),
                   ("Министерство труда и социального развития", "min-social"),
                   ("Министерство физической культуры и спорта", "min-sport"),
                   ("Министерство культуры Краснодарского края", "min-culture")],
        "titles": ["Представить предложения по снижению очередей в поликлиниках",
                   "Провести проверку готовности образовательных организаций к учебному году",
                   "Обеспечить своевременную выплату мер социальной поддержки",
                   "Организовать летний отдых детей в оздоровительных лагерях",
                   "Завершить капитальный ремонт фельдшерско-акушерских пунктов",
                   "Подготовить доклад о кадровом обеспечении медицинских организаций",
                   "Обеспечить доступность спортивных объектов для жителей районов",
                   "Представить план ремонта учреждений культуры в сельских поселениях",
                   "Организовать приём граждан по вопросам социального обслуживания",
                   "Обеспечить оснащение школ современным оборудованием"],
    },
}
ORDERS_PER_SOURCE = 30
#: the fates of the demo orders, with their weights
FATES = [("on_time", 9), ("overdue", 5), ("reported", 4), ("done", 8), ("done_late", 3), ("cancelled", 1)]


def _order(source: ConsolidationSource, spec: dict, n: int, rng: random.Random, version: int) -> ConsolidatedOrder:
    today = timezone.localdate()
    fate = rng.choices([f for f, _w in FATES], weights=[w for _f, w in FATES])[0]
    issued = today - timedelta(days=rng.randint(20, 120))
    deadline = issued + timedelta(days=rng.randint(10, 60))
    if fate in ("on_time", "reported") and deadline < today:
        deadline = today + timedelta(days=rng.randint(3, 30))
    if fate == "overdue" and deadline >= today:
        deadline = today - timedelta(days=rng.randint(1, 15))
    status = {"on_time": rng.choice(["issued", "in_progress"]), "overdue": "in_progress", "reported": "reported",
              "done": "done", "done_late": "done", "cancelled": "cancelled"}[fate]
    is_open = status in ("issued", "in_progress", "reported")
    closed = None
    if fate == "done":
        closed = min(deadline, today) - timedelta(days=rng.randint(0, 5))
    elif fate == "done_late":
        closed = min(deadline + timedelta(days=rng.randint(1, 10)), today)
    elif fate == "cancelled":
        closed = min(issued + timedelta(days=5), today)
    closed = max(closed, issued) if closed else None
    reported = closed or (today - timedelta(days=rng.randint(1, 6)) if fate in ("reported", "overdue") else None)
    lead = rng.choice(spec["bodies"])
    co = [body for body in spec["bodies"] if body != lead][: rng.randint(0, 2)]
    number = f"{issued.year}-{n:05d}"
    title = spec["titles"][n % len(spec["titles"])]
    url = f"{spec['url']}/workspace/orders/order/{n}/"
    snapshot = {"id": n, "version": version, "number": number, "title": title, "issued_on": issued.isoformat(),
                "lead_executor": {"name": lead[0], "code": lead[1]},
                "co_executors": [{"name": name, "code": code} for name, code in co],
                "deadline": deadline.isoformat(), "status": status, "open": is_open,
                "closed_on": closed.isoformat() if closed else None, "overdue": is_open and deadline < today,
                "last_report_on": reported.isoformat() if reported else None, "url": url}
    return ConsolidatedOrder(source=source, remote_id=n, number=number, title=title, executor=lead[0],
                             executor_code=lead[1], issued_on=issued, deadline=deadline, status=status,
                             is_open=is_open, overdue=snapshot["overdue"], closed_on=closed, last_report_on=reported,
                             url=url, version=version, snapshot=snapshot,
                             received_at=timezone.now() - timedelta(minutes=rng.randint(1, 600)))


@demo_loader(order=93)
def load_consolidation(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    """Two vice-governors' installations and their consolidated orders (they do not grow with the scale)."""
    made = 0
    for code, spec in SOURCES.items():
        source, _created = ConsolidationSource.objects.get_or_create(code=code, defaults={
            "name": spec["name"], "url": spec["url"], "last_received_at": timezone.now() - timedelta(minutes=7),
            "first_received_at": timezone.now() - timedelta(days=120)})
        held = set(source.orders.values_list("remote_id", flat=True))
        rows = []
        version = 1000
        for n in range(1, ORDERS_PER_SOURCE + 1):
            version += rng.randint(3, 40)
            row = _order(source, spec, 100 + n, rng, version)  # drawn for every n, so the rest stay the same
            if row.remote_id not in held:
                rows.append(row)
        ConsolidatedOrder.objects.bulk_create(rows)
        if rows:
            ConsolidationSource.objects.filter(pk=source.pk).update(last_version=version,
                                                                    batches_received=len(rows) // 10 + 1)
        made += len(rows)
    stdout.write(f"  consolidation: {len(SOURCES)} vice-governors' installations, {made} consolidated orders\n")
    return []
