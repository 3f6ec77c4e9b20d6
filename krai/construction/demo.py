"""Construction's demo: across every municipality, registered constructions at every stage (Krasnodar's with their
plot outlined), residents' verification requests — open, and answered legal, with a violation, or illegal — the
illegal constructions of the former Excel registry with their measures (a court case linked to the lawsuit
monitoring where one exists), and "Find out" works planned, under way, slipping, suspended and completed, with
residents following them and rating the finished ones (``demo_data`` holds the texts).

Everything goes through the parts' services, as people would through the pages: the controller keeps the
registries, residents file requests, the inspection body's head inspects, the municipalities enter their works.
Places are houses of the demo address registry. Idempotent: nothing is added once the registry holds objects.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.test import override_settings
from django.utils import timezone

from krai.construction import demo_data as data
from krai.construction.models import (
    ConstructionObject,
    IllegalConstruction,
    ObjectStage,
    VerificationRequest,
    Work,
)
from krai.construction.services import illegal, objects, verification, works, works_residents
from krai.core.demo import demo_loader
from krai.orders.services.control import quiet
from krai.org.addresses.models import Address
from krai.org.models import Municipality, Organisation, User
from krai.projects.models import Programme

DOMAIN = "demo.krai"
KEEPER = "controller"
INSPECTOR = "head.construction-supervision"
#: registered objects, requests and works per municipality by its kind (Krasnodar has its own counts)
OBJECTS = {"krasnodar": 24, "urban_okrug": 5, "municipal_district": 2}
REQUESTS = {"krasnodar": 12, "urban_okrug": 2, "municipal_district": 1}
WORKS = {"krasnodar": 30, "urban_okrug": 6, "municipal_district": 3}
PROGRAMME_BY_KIND = {"road": "np-bkd", "school": "np-obr", "kindergarten": "np-obr", "network": "gp-zhkh"}
REGIONAL_BODY_BY_KIND = {"school": "capital-construction", "kindergarten": "capital-construction"}


def _count(table: dict[str, int], municipality: Municipality) -> int:
    return table.get(municipality.code) or table.get(municipality.kind, 1)


class _Places:
    """Houses of the demo address registry per municipality, each handed out once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.free: dict[int, list[Address]] = {}
        for house in Address.objects.select_related("street").order_by("id"):
            self.free.setdefault(house.street.municipality_id, []).append(house)
        for houses in self.free.values():
            rng.shuffle(houses)

    def take(self, municipality: Municipality) -> Address | None:
        houses = self.free.get(municipality.pk) or []
        return houses.pop() if houses else None


def _label(house: Address) -> str:
    street = house.street
    return f"{street.locality}, {street.name}, {house.house}" if street.name else f"{street.locality}, {house.house}"


def _outline(lat: float, lon: float, rng: random.Random) -> dict[str, Any]:
    """A plot of about 60 × 40 m around the point."""
    dlat, dlon = 0.00018 + rng.random() * 0.0001, 0.00035 + rng.random() * 0.0001
    ring = [[lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat], [lon - dlon, lat + dlat],
            [lon - dlon, lat - dlat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DOMAIN}")}
        self.rng = rng
        self.keeper = users[KEEPER]
        self.inspector = users[INSPECTOR]
        self.citizens = sorted((u for key, u in users.items() if key.startswith("citizen") and u.email_confirmed),
                               key=lambda u: u.email)
        self.mayors = {key.split(".", 1)[1]: u for key, u in users.items() if key.startswith("mayor.")}
        self.places = _Places(rng)
        self.bodies = {o.code: o for o in Organisation.objects.filter(is_active=True)}
        self.programmes = {p.code: p for p in Programme.objects.all()}
        self.today = timezone.localdate()
        self.turn = {"requests": 0, "works": 0}  # a running count, so small municipalities get every phase too
        self.made = {"objects": 0, "requests": 0, "inspected": 0, "illegal": 0, "works": 0, "ratings": 0}

    # --- the registry -----------------------------------------------------------------------------------

    def registry(self, municipality: Municipality) -> list[ConstructionObject]:
        made = []
        stages = [ObjectStage.UNDER_CONSTRUCTION] * 4 + [ObjectStage.PERMIT_ISSUED] * 2 + [
            ObjectStage.COMMISSIONED] * 2 + [ObjectStage.SUSPENDED]
        for n in range(_count(OBJECTS, municipality)):
            house = self.places.take(municipality)
            if house is None:
                break
            name, kind, purpose, floors, per_floor, developer = self.rng.choice(data.OBJECTS)
            approved = self.rng.randint(*floors)
            permit_date = self.today - timedelta(days=self.rng.randint(60, 900))
            address = _label(house)
            fields: dict[str, Any] = {
                "name": f"{name} по адресу: {house.street.name}, {house.house}", "kind": kind,
                "stage": self.rng.choice(stages), "address": address, "lat": house.lat, "lon": house.lon,
                "municipality": municipality, "developer": developer or "физическое лицо",
                "permit_number": f"23-{municipality.pk:02d}-{permit_date:%y}{n + 1:03d}-{permit_date.year}",
                "permit_date": permit_date, "permit_authority": ("Департамент архитектуры и градостроительства"
                                                                 if municipality.code == "krasnodar" else
                                                                 f"Администрация: {municipality.name}"),
                "permit_valid_until": permit_date + timedelta(days=365 * self.rng.choice((2, 3, 5))),
                "approved_floors": approved, "approved_area": Decimal(approved * per_floor),
                "purpose": purpose,
                "cadastral_number": f"23:{municipality.pk % 100:02d}:{self.rng.randint(100000, 999999):06d}:"
                                    f"{self.rng.randint(1, 9999)}",
            }
            if municipality.code == "krasnodar":
                fields["polygon"] = _outline(house.lat, house.lon, self.rng)
            made.append(objects.object_create(actor=self.keeper, **fields))
        self.made["objects"] += len(made)
        return made

    # --- verification requests --------------------------------------------------------------------------

    def requests(self, municipality: Municipality, registered: list[ConstructionObject]) -> None:
        for n in range(_count(REQUESTS, municipality)):
            reason, text, extra = data.REQUESTS[(n + municipality.pk) % len(data.REQUESTS)]
            target = registered[n % len(registered)] if reason == "differs" and registered else None
            if target is None:
                house = self.places.take(municipality)
                if house is None:
                    return
                lat, lon, address = house.lat, house.lon, _label(house)
                reason = "missing" if reason == "differs" else reason
            else:
                lat, lon, address = target.lat, target.lon, target.address
            floors = (target.approved_floors or 5) + extra if target is not None else None
            author = self.citizens[(municipality.pk * 7 + n) % len(self.citizens)]
            request = verification.request_file(
                actor=author, reason=reason, address=address, lat=lat, lon=lon,
                description=text.format(floors=getattr(target, "approved_floors", "")), observed_floors=floors,
                construction_object=target)
            self.made["requests"] += 1
            self.turn["requests"] += 1
            if self.turn["requests"] % 3:  # two in three are answered already
                self.inspect(request, target, self.turn["requests"])

    def inspect(self, request: VerificationRequest, target: ConstructionObject | None, n: int) -> None:
        if target is not None:
            decision = "violation" if request.observed_floors and target.approved_floors and \
                request.observed_floors > target.approved_floors else "legal"
        else:
            decision = ("illegal", "legal", "illegal")[n % 3]
        verification.request_inspect(
            actor=self.inspector, request=request, visited_on=self.today, findings=data.FINDINGS[decision],
            decision=decision, floors_found=request.observed_floors)
        self.made["inspected"] += 1

    # --- illegal constructions of the former registry ---------------------------------------------------

    def former_registry(self, municipality: Municipality) -> None:
        if municipality.kind == "municipal_district" and municipality.pk % 3:
            return
        for n in range(3 if municipality.code == "krasnodar" else 1):
            house = self.places.take(municipality)
            if house is None:
                return
            what, owner = data.ILLEGAL[(municipality.pk + n) % len(data.ILLEGAL)]
            found = self.today - timedelta(days=self.rng.randint(120, 700))
            entry = illegal.illegal_create(
                actor=self.keeper, address=_label(house), lat=house.lat, lon=house.lon, municipality=municipality,
                found_on=found, description=what, owner=owner, source="import")
            illegal.measure_add(actor=self.keeper, construction=entry, kind="demolition_order",
                                taken_on=found + timedelta(days=20), number=f"ПС-{entry.pk:04d}",
                                description="Предписание о сносе самовольной постройки в течение трёх месяцев.")
            outcome = self.rng.random()
            if outcome < 0.3:
                illegal.measure_add(actor=self.keeper, construction=entry, kind="fine",
                                    taken_on=found + timedelta(days=45), amount=Decimal(self.rng.choice(
                                        (50000, 100000, 300000))), number=f"ШТ-{entry.pk:04d}")
            elif outcome < 0.5:
                illegal.measure_add(actor=self.keeper, construction=entry, kind="demolished",
                                    taken_on=found + timedelta(days=100))
            elif outcome < 0.6:
                illegal.measure_add(actor=self.keeper, construction=entry, kind="legalised",
                                    taken_on=found + timedelta(days=90),
                                    description="Постройка узаконена решением суда.")
            self.made["illegal"] += 1

    # --- works ------------------------------------------------------------------------------------------

    def works(self, municipality: Municipality) -> None:
        admin = self.bodies.get(f"admin-{municipality.code}")
        mayor = self.mayors.get(municipality.code)
        for n in range(_count(WORKS, municipality)):
            house = self.places.take(municipality)
            if house is None or admin is None:
                return
            template, kind, funding, cost = data.WORKS[(n + municipality.pk) % len(data.WORKS)]
            body = self.bodies.get(REGIONAL_BODY_BY_KIND.get(kind, ""), admin)
            actor = mayor if body == admin and mayor is not None else self.keeper
            programme = self.programmes.get(PROGRAMME_BY_KIND.get(kind, ""))
            self.turn["works"] += 1
            phase = self.turn["works"] % 6  # 0–1 completed, 2 in progress, 3 slipping, 4 planned, 5 suspended
            start = self.today + timedelta(days=self.rng.randint(-400, -200) if phase < 2 else
                                           self.rng.randint(-120, -20) if phase < 4 else
                                           self.rng.randint(15, 120) if phase == 4 else self.rng.randint(-90, -30))
            end = start + timedelta(days=self.rng.randint(60, 180))
            if phase == 3:  # slipping: under way since months, its planned end passed days ago
                start = self.today - timedelta(days=self.rng.randint(60, 120))
                end = self.today - timedelta(days=self.rng.randint(3, 25))
            street = house.street.name
            work = works.work_create(
                actor=actor, name=template.format(street=street, house=house.house), kind=kind,
                address=_label(house), street=street.replace("ул. ", ""), lat=house.lat, lon=house.lon,
                responsible_body=body,
                contractor=self.rng.choice(data.CONTRACTORS), programme=programme, funding=funding,
                cost=Decimal(self.rng.randint(*cost) * 1_000_000), planned_start=start, planned_end=end,
                description=f"{template.format(street=street, house=house.house)}. Подрядчик определён по итогам "
                            "электронного аукциона.")
            self.made["works"] += 1
            self.follow(work, municipality, n)
            if phase in (0, 1, 2, 3, 5):
                works.work_start(actor=actor, work=work, on=start + timedelta(days=self.rng.randint(0, 10)))
            if phase == 5:
                works.work_suspend(actor=actor, work=work, reason="Подрядчик приостановил работы до поставки "
                                                                   "материалов.")
            if phase in (0, 1):
                late = self.rng.random() < 0.3
                finished = min(end + timedelta(days=self.rng.randint(5, 40) if late else -self.rng.randint(0, 15)),
                               self.today - timedelta(days=1))
                works.work_complete(actor=actor, work=Work.objects.get(pk=work.pk), on=finished)
                self.rate(Work.objects.get(pk=work.pk), n)

    def follow(self, work: Work, municipality: Municipality, n: int) -> None:
        for k in range(n % 4):
            citizen = self.citizens[(municipality.pk * 13 + n * 3 + k) % len(self.citizens)]
            works_residents.work_subscribe(actor=citizen, work=work)

    def rate(self, work: Work, n: int) -> None:
        for k in range(2 + n % 4):
            citizen = self.citizens[(work.pk * 11 + k * 17) % len(self.citizens)]
            score = max(1, min(5, round(self.rng.gauss(4.0, 0.9))))
            works_residents.work_rate(actor=citizen, work=work, score=score,
                                      comment=self.rng.choice(data.RATING_COMMENTS))
            self.made["ratings"] += 1


@demo_loader(order=85)
def load_construction(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    """The registries and the works of every municipality (they do not grow with the scale: the region's
    constructions stay its constructions)."""
    if ConstructionObject.objects.exists() or IllegalConstruction.objects.exists() or Work.objects.exists():
        return []
    writer = _Writer(rng)
    with override_settings(RATELIMIT_ENABLE=False), quiet():
        for municipality in Municipality.objects.filter(is_active=True).order_by("id"):
            registered = writer.registry(municipality)
            writer.requests(municipality, registered)
            writer.former_registry(municipality)
            writer.works(municipality)
    _spread_requests(rng)
    made = writer.made
    stdout.write(f"  construction: {made['objects']} registered objects, {made['requests']} verification requests "
                 f"({made['inspected']} inspected), {made['illegal']} illegal constructions of the former registry, "
                 f"{made['works']} works, {made['ratings']} ratings\n")
    return [f"{INSPECTOR}@{DOMAIN:<12} the inspection body (construction checks)"]


def _spread_requests(rng: random.Random) -> None:
    """The requests' filing dates spread over the last weeks, as they came (the list is read newest first)."""
    now = timezone.now()
    for request in VerificationRequest.objects.all():
        days = rng.randint(1, 25)
        VerificationRequest.objects.filter(pk=request.pk).update(created_at=now - timedelta(days=days))


