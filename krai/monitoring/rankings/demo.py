"""Demo ratings: five federal ratings with five editions each, all regions placed deterministically, Krasnodar
Krai's path with ups and downs — and a fall past the threshold in the latest edition of the healthcare rating
(owned by the health department's head, who gets the alert).

Seeded data, not domain actions: rows are written directly, looked up by stable keys (a rating's code, an
edition's period), so a second run changes nothing. Editions before 2023 hold 85 regions (the four new subjects
joined the ratings later)."""

from __future__ import annotations

import random
from typing import TextIO

from krai.core.demo import demo_loader
from krai.core.notifications.models import Notification
from krai.core.notifications.services import notify
from krai.monitoring.rankings import selectors
from krai.monitoring.rankings.models import Rating, RatingEdition, RatingPlace, RussianRegion
from krai.org.models import Organisation, User

HOME = "23"
NEW_SUBJECTS = {"90", "93", "94", "95"}
NEIGHBOURS = ["01", "09", "26", "61", "91"]

RATINGS = [
    {"code": "invest-climate", "name": "Национальный рейтинг состояния инвестиционного климата в субъектах РФ",
     "name_en": "National Investment Climate Rating", "publisher": "Агентство стратегических инициатив (АСИ)",
     "methodology_url": "https://asi.ru/investclimate/rating/", "owner": "investment",
     "directions": [("reg", "Регуляторная среда"), ("inst", "Институты для бизнеса"),
                    ("infra", "Инфраструктура и ресурсы"), ("sme", "Поддержка малого предпринимательства")],
     "periods": [(2021, None), (2022, None), (2023, None), (2024, None), (2025, None)], "path": [4, 3, 2, 3, 2]},
    {"code": "quality-of-life", "name": "Рейтинг регионов по качеству жизни", "name_en": "Quality of life rating",
     "publisher": "РИА Рейтинг", "methodology_url": "https://riarating.ru/regions/", "owner": "economy",
     "directions": [("income", "Доходы населения"), ("housing", "Жилищные условия"),
                    ("safety", "Безопасность проживания"), ("ecology", "Экология и климат")],
     "periods": [(2021, None), (2022, None), (2023, None), (2024, None), (2025, None)], "path": [12, 10, 9, 11, 8]},
    {"code": "digital-maturity", "name": "Индекс цифровой зрелости", "name_en": "Digital maturity index",
     "publisher": "Минцифры России", "methodology_url": "https://digital.gov.ru/", "owner": "digital",
     "directions": [("gov", "Государственное управление"), ("health", "Здравоохранение"),
                    ("edu", "Образование"), ("city", "Городская среда")],
     "periods": [(2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)], "path": [21, 18, 19, 15, 14]},
    {"code": "socio-economic", "name": "Рейтинг социально-экономического положения регионов",
     "name_en": "Socio-economic standing of the regions", "publisher": "РИА Рейтинг",
     "methodology_url": "https://riarating.ru/regions/", "owner": "economy",
     "directions": [("scale", "Масштаб экономики"), ("efficiency", "Эффективность экономики"),
                    ("budget", "Бюджетная сфера"), ("social", "Социальная сфера")],
     "periods": [(2021, None), (2022, None), (2023, None), (2024, None), (2025, None)], "path": [11, 10, 10, 9, 9]},
    {"code": "healthcare", "name": "Рейтинг регионов по доступности и качеству медицинской помощи",
     "name_en": "Access to and quality of healthcare", "publisher": "Аналитический центр «Здоровье регионов»",
     "methodology_url": "https://example.org/healthcare-rating/methodology", "owner": "health",
     "directions": [("access", "Доступность медицинской помощи"), ("staff", "Кадровая обеспеченность"),
                    ("outcome", "Результаты лечения"), ("prevention", "Профилактика")],
     "periods": [(2021, None), (2022, None), (2023, None), (2024, None), (2025, None)], "path": [15, 13, 14, 12, 20]},
]


def _order(rng: random.Random, regions: list[RussianRegion], target: int) -> list[RussianRegion]:
    """Every region but the home one in a seeded order, the home region put at ``target``."""
    others = [r for r in regions if r.code != HOME]
    strength = {r.code: (int(r.code) * 37) % 89 + rng.uniform(0, 30) for r in others}  # stable-ish, with noise
    others.sort(key=lambda r: -strength[r.code])
    home = [r for r in regions if r.code == HOME]
    return others[:target - 1] + home + others[target - 1:]


def _places(rng: random.Random, spec: dict, edition: RatingEdition, ordered: list[RussianRegion],
            latest: bool) -> list[RatingPlace]:
    rows = []
    count = len(ordered)
    i = 0
    while i < count:
        region = ordered[i]
        shared = i % 17 == 6 and i + 1 < count and HOME not in (region.code, ordered[i + 1].code)
        group = ordered[i:i + 2] if shared else [region]
        score = round(100 - i * 80 / count + rng.uniform(-0.4, 0.4), 2)
        for member in group:
            subscores = {code: round(min(100.0, max(0.0, score + rng.uniform(-12, 12))), 1)
                         for code, _name in spec["directions"]}
            if member.code == HOME and latest and spec["code"] == "healthcare":
                subscores["staff"] = round(subscores["staff"] - 18, 1)  # where the fall came from
                subscores["access"] = round(subscores["access"] - 9, 1)
            rows.append(RatingPlace(edition=edition, region=member, place=i + 1,
                                    place_to=i + len(group) if shared else None, score=score, subscores=subscores))
        i += len(group)
    return rows


@demo_loader(order=70)
def load_rankings(*, scale: int, stdout: TextIO) -> list[str]:
    RussianRegion.ensure_all()
    regions = list(RussianRegion.objects.order_by("code"))
    neighbours = list(RussianRegion.objects.filter(code__in=NEIGHBOURS))
    for spec in RATINGS:
        owner_org = Organisation.objects.filter(code=spec["owner"]).first()
        owner = User.objects.filter(email=f"head.{spec['owner']}@demo.krai").first()
        rating, created = Rating.objects.get_or_create(code=spec["code"], defaults={
            "name": spec["name"], "name_en": spec["name_en"], "publisher": spec["publisher"],
            "methodology_url": spec["methodology_url"], "owner": owner, "owner_organisation": owner_org,
            "periodicity": Rating.Periodicity.QUARTER if spec["periods"][0][1] else Rating.Periodicity.YEAR,
            "directions": [{"code": c, "name": n} for c, n in spec["directions"]], "drop_threshold": 5})
        if created:
            rating.neighbours.set(neighbours)
        for n, ((year, quarter), target) in enumerate(zip(spec["periods"], spec["path"], strict=True)):
            present = [r for r in regions if year >= 2023 or r.code not in NEW_SUBJECTS]
            edition, _new = RatingEdition.objects.get_or_create(
                rating=rating, year=year, quarter=quarter,
                defaults={"regions_count": len(present), "source_url": spec["methodology_url"]})
            if edition.places.exists():
                continue
            rng = random.Random(f"{spec['code']}:{year}:{quarter}")
            ordered = _order(rng, present, target)
            RatingPlace.objects.bulk_create(_places(rng, spec, edition, ordered, n == len(spec["periods"]) - 1))
        now = selectors.standing(rating)
        if now.dropped and owner and not Notification.objects.filter(user=owner, kind="rankings.drop").exists():
            change = now.change  # the alert the service sends when such an edition is typed or imported
            notify(users=[owner], kind="rankings.drop", url=rating.get_absolute_url(),
                   title=f"{rating.name}: регион опустился на {change.fell_by} мест(а)",
                   body=f"{now.edition.period}: место {change.current.place_label}, "
                        f"ранее {change.previous.place_label}.")
    return ["head.health@demo.krai".ljust(34) + " owns the healthcare rating (a fall past the threshold)"]
