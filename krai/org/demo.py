"""Demo data of the org area: a Krasnodar-like region with its whole government and its residents.

Built from ``krai.org.demo_data``: the region's outline; 44 municipalities whose boundaries are the
Voronoi cells of their real administrative centres clipped to the outline (a plausible partition:
no gaps, no overlaps, every centre inside its own cell); 8 blocks with vice-governors; the
governor and his office; 39 departments and 10 state companies with heads, units, unit heads and
executors; 44 municipal administrations; the Department of Control with controllers; an
administrator; experts; and ``200 × scale`` citizens.

Idempotent: everything is looked up by a stable key (codes, e-mails) and only what is missing is
written, so a second run changes nothing. Deterministic: the structure comes from a fixed seed
(not the scale), each citizen from a seed of his own number. The demo is seeded data, not domain
actions, so it writes rows directly and records no events (an audit trail of a fixture would be noise).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TextIO

import shapely
from django.conf import settings
from django.contrib.auth.hashers import make_password
from shapely.geometry import MultiPoint, Point, Polygon

from krai.core.demo import demo_loader
from krai.org import demo_data as data
from krai.org import geo
from krai.org.models import (
    Block,
    Municipality,
    Organisation,
    Position,
    Region,
    Role,
    RoleAssignment,
    ScopeKind,
    User,
)

DOMAIN = "demo.krai"
CITIZENS_PER_SCALE = 200
EXPERTS = 20
CONTROLLERS = 4
VACANCY_SHARE = 0.08
BATCH = 2000
JOINED_BEFORE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # a fixed anchor keeps reruns identical

T = data.POSITION_TITLES
T_EN = data.POSITION_TITLES_EN


def email(local: str) -> str:
    return f"{local}@{DOMAIN}"


# --- geometry -----------------------------------------------------------------------------------

def region_outline() -> Polygon:
    return Polygon(data.REGION_OUTLINE)


def municipality_cells() -> dict[str, shapely.Geometry]:
    """Each municipality's boundary: the Voronoi cell of its centre, clipped to the region's outline.

    Coordinates are snapped to 1e-5° (about a metre); neighbours share their snapped vertices, so the
    cells still tile the outline. Raises if a centre falls outside its own cell.
    """
    outline = region_outline()
    centres = [m["centre"] for m in data.MUNICIPALITIES]
    cells = shapely.voronoi_polygons(MultiPoint(centres), extend_to=outline.buffer(1.0), ordered=True)
    result: dict[str, shapely.Geometry] = {}
    for municipality, cell in zip(data.MUNICIPALITIES, cells.geoms, strict=True):
        boundary = shapely.set_precision(cell.intersection(outline), 1e-5)
        if not boundary.covers(Point(municipality["centre"])):
            raise ValueError(f"the centre of {municipality['code']} is outside its own cell")
        result[municipality["code"]] = boundary
    return result


# --- people -------------------------------------------------------------------------------------

def random_person(rng: random.Random) -> dict[str, str]:
    female = rng.random() < 0.5
    i = rng.randrange(len(data.SURNAMES_M))
    p = rng.randrange(len(data.PATRONYMICS_M))
    return {
        "surname": (data.SURNAMES_F if female else data.SURNAMES_M)[i],
        "given_name": rng.choice(data.GIVEN_NAMES_F if female else data.GIVEN_NAMES_M),
        "patronymic": (data.PATRONYMICS_F if female else data.PATRONYMICS_M)[p],
    }


@dataclass
class Plan:
    """What the demo structure holds, decided before anything is written."""

    users: dict[str, dict] = field(default_factory=dict)  # e-mail → fields
    organisations: list[dict] = field(default_factory=list)  # parents before children
    positions: list[dict] = field(default_factory=list)  # {org, title, title_en, is_head, sort_order, holder}
    roles: list[dict] = field(default_factory=list)  # {user, role, scope, organisation|municipality|block}

    def person(self, local: str, person: dict[str, str], *, staff: bool = True) -> str:
        address = email(local)
        self.users.setdefault(address, {**person, "is_staff": staff})
        return address

    def organisation(self, **fields) -> str:
        self.organisations.append(fields)
        return fields["code"]

    def post(self, org: str, key: str, order: int, holder: str | None, *, head: bool = False,
             title: str | None = None, title_en: str | None = None) -> None:
        self.positions.append({"org": org, "title": title or T[key], "title_en": title_en or T_EN[key],
                               "is_head": head, "sort_order": order, "holder": holder})

    def role(self, user: str, role: str, scope: str, **target: str) -> None:
        self.roles.append({"user": user, "role": role, "scope": scope, **target})


def plan_structure() -> Plan:
    """The government of the demo region (fixed seed: the same plan at every scale)."""
    rng = random.Random("krai-demo-org-structure")
    plan = Plan()

    governor = plan.person("governor", data.GOVERNOR)
    plan.role(governor, Role.GOVERNOR, ScopeKind.REGION)
    office = data.GOVERNOR_OFFICE
    plan.organisation(code=office["code"], name=office["name"], short_name=office["short_name"],
                      name_en=office["name_en"], kind=Organisation.Kind.GOVERNOR_OFFICE, inn=office["inn"])
    plan.post(office["code"], "head", 0, governor, head=True, title="Губернатор Краснодарского края",
              title_en="Governor of Krasnodar Krai")
    office_head = plan.person("head.governor-office", office["head"])
    plan.post(office["code"], "head", 1, office_head, title="Руководитель администрации Губернатора",
              title_en="Head of the Governor's Office")
    plan.role(office_head, Role.HEAD, ScopeKind.ORGANISATION, organisation=office["code"])

    for order, block in enumerate(data.BLOCKS, start=2):
        vice = plan.person(f"vice.{block['code']}", block["vice_governor"])
        plan.role(vice, Role.VICE_GOVERNOR, ScopeKind.BLOCK, block=block["code"])
        plan.post(office["code"], "deputy", order, vice, title="Заместитель Губернатора Краснодарского края",
                  title_en="Deputy Governor of Krasnodar Krai")

    bodies = [(b, Organisation.Kind.DEPARTMENT) for b in data.DEPARTMENTS]
    bodies += [(b, Organisation.Kind.STATE_COMPANY) for b in data.STATE_COMPANIES]
    for body, kind in bodies:
        code = plan.organisation(code=body["code"], name=body["name"], short_name=body["short_name"],
                                 name_en=body["name_en"], kind=kind, block=body["block"], inn=body["inn"])
        head = plan.person(f"head.{code}", body["head"])
        plan.post(code, "head", 0, head, head=True)
        plan.role(head, Role.HEAD, ScopeKind.ORGANISATION, organisation=code)
        deputy = None if rng.random() < VACANCY_SHARE else plan.person(f"deputy.{code}", random_person(rng))
        plan.post(code, "deputy", 1, deputy)
        if deputy:
            plan.role(deputy, Role.EXECUTOR, ScopeKind.ORGANISATION, organisation=code)
        for u, unit_name in enumerate(rng.sample(data.UNIT_NAMES, rng.randint(2, 4)), start=1):
            _plan_unit(plan, rng, parent=code, block=body["block"], number=u, name=unit_name)

    control = data.CONTROL_DEPARTMENT
    plan.organisation(code=control["code"], name=control["name"], short_name=control["short_name"],
                      name_en=control["name_en"], kind=Organisation.Kind.CONTROL, inn=control["inn"])
    control_head = plan.person("head.control", control["head"])
    plan.post(control["code"], "head", 0, control_head, head=True)
    plan.role(control_head, Role.CONTROLLER, ScopeKind.REGION)
    for u, unit_name in enumerate(("Отдел контроля исполнения поручений", "Отдел мониторинга и анализа"), start=1):
        unit = plan.organisation(code=f"control-u{u}", name=unit_name, kind=Organisation.Kind.UNIT,
                                 parent=control["code"])
        plan.post(unit, "unit_head", 0, None, head=True)
        for k in range(1, CONTROLLERS // 2 + 1):
            number = (u - 1) * (CONTROLLERS // 2) + k
            controller = plan.person("controller" if number == 1 else f"controller{number}", random_person(rng))
            plan.post(unit, "consultant", k, controller)
            plan.role(controller, Role.CONTROLLER, ScopeKind.REGION)

    for m in data.MUNICIPALITIES:
        code = plan.organisation(
            code=f"admin-{m['code']}", kind=Organisation.Kind.MUNICIPAL_ADMINISTRATION, block="internal",
            municipality=m["code"],
            name=(f"Администрация муниципального образования город {m['name']}" if m["kind"] == "urban_okrug"
                  else f"Администрация муниципального образования {m['name']}"),
            name_en=f"Administration of {m['name_en']}")
        mayor = plan.person(f"mayor.{m['code']}", random_person(rng))
        plan.post(code, "head", 0, mayor, head=True, title="Глава муниципального образования",
                  title_en="Head of the Municipality")
        plan.role(mayor, Role.HEAD, ScopeKind.MUNICIPALITY, municipality=m["code"])
        plan.post(code, "deputy", 1, None if rng.random() < VACANCY_SHARE else
                  plan.person(f"deputy.{code}", random_person(rng)))
    return plan


def _plan_unit(plan: Plan, rng: random.Random, *, parent: str, block: str, number: int, name: str) -> None:
    unit = plan.organisation(code=f"{parent}-u{number}", name=name, kind=Organisation.Kind.UNIT, parent=parent,
                             block=block)
    head = plan.person(f"unit{number}.{parent}", random_person(rng))
    plan.post(unit, "unit_head", 0, head, head=True)
    plan.role(head, Role.HEAD, ScopeKind.ORGANISATION, organisation=unit)
    for k, key in enumerate(rng.sample(["deputy_unit_head", "consultant", "chief_specialist", "lead_specialist"],
                                       rng.randint(1, 3)), start=1):
        vacant = rng.random() < VACANCY_SHARE and not (number == 1 and k == 1)
        executor = None if vacant else plan.person(f"exec{k}.unit{number}.{parent}", random_person(rng))
        plan.post(unit, key, k, executor)
        if executor:  # the first of a unit acts for the whole unit, the others on their own tasks
            if k == 1:
                plan.role(executor, Role.EXECUTOR, ScopeKind.ORGANISATION, organisation=unit)
            else:
                plan.role(executor, Role.EXECUTOR, ScopeKind.SELF)


# --- writing ------------------------------------------------------------------------------------

def _ensure_users(specs: dict[str, dict], password: str) -> dict[str, User]:
    """Create the users that are missing (in batches); return all of them by e-mail."""
    existing = set(User.objects.filter(email__in=list(specs)).values_list("email", flat=True))
    missing = [User(email=address, password=password, email_confirmed=True, **fields)
               for address, fields in specs.items() if address not in existing]
    User.objects.bulk_create(missing, batch_size=BATCH)
    users = {}
    for start in range(0, len(specs), BATCH):
        chunk = list(specs)[start:start + BATCH]
        users.update({u.email: u for u in User.objects.filter(email__in=chunk)})
    return users


def _region() -> Region:
    outline = geo.to_geojson(region_outline())
    region, _ = Region.objects.get_or_create(
        name=data.REGION["name"],
        defaults={"name_en": data.REGION["name_en"], "population": data.REGION["population"], "outline": outline})
    return region


def _municipalities(region: Region) -> dict[str, Municipality]:
    existing = {m.code: m for m in Municipality.objects.filter(code__in=[m["code"] for m in data.MUNICIPALITIES])}
    if len(existing) < len(data.MUNICIPALITIES):
        cells = municipality_cells()
        for m in data.MUNICIPALITIES:
            if m["code"] in existing:
                continue
            lon, lat = m["centre"]
            municipality = Municipality(region=region, code=m["code"], name=m["name"], name_en=m["name_en"],
                                        kind=m["kind"], admin_centre=m["admin_centre"], population=m["population"],
                                        boundary=geo.to_geojson(cells[m["code"]]), centre_lon=lon, centre_lat=lat)
            municipality.save()  # fills the bounding box
            existing[m["code"]] = municipality
        geo.invalidate()
    return existing


def _blocks(users: dict[str, User]) -> dict[str, Block]:
    blocks = {}
    for order, b in enumerate(data.BLOCKS, start=1):
        blocks[b["code"]], _ = Block.objects.get_or_create(
            code=b["code"], defaults={"name": b["name"], "name_en": b["name_en"], "sort_order": order,
                                      "vice_governor": users[email(f"vice.{b['code']}")]})
    return blocks


def _organisations(plan: Plan, blocks: dict[str, Block], municipalities: dict[str, Municipality]) -> dict:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[o["code"] for o in plan.organisations])}
    for spec in plan.organisations:  # parents come first; save() computes the path
        if spec["code"] in orgs:
            continue
        fields = {k: v for k, v in spec.items() if k not in ("parent", "block", "municipality")}
        organisation = Organisation(**fields, parent=orgs.get(spec.get("parent")),
                                    block=blocks.get(spec.get("block")),
                                    municipality=municipalities.get(spec.get("municipality")))
        organisation.save()
        orgs[spec["code"]] = organisation
    return orgs


def _positions(plan: Plan, orgs: dict, users: dict[str, User]) -> None:
    existing = set(Position.objects.filter(organisation__in=orgs.values())
                   .values_list("organisation_id", "sort_order"))
    Position.objects.bulk_create([
        Position(organisation=orgs[p["org"]], title=p["title"], title_en=p["title_en"], is_head=p["is_head"],
                 sort_order=p["sort_order"], holder=users[p["holder"]] if p["holder"] else None)
        for p in plan.positions if (orgs[p["org"]].pk, p["sort_order"]) not in existing
    ], batch_size=BATCH)


def _roles(specs: list[dict], users: dict[str, User], *, orgs=None, blocks=None, municipalities=None) -> None:
    def key(user_id, role, scope, org_id, muni_id, block_id):
        return (user_id, role, scope, org_id, muni_id, block_id)

    existing = set(RoleAssignment.objects.filter(user__in=[users[s["user"]] for s in specs]).values_list(
        "user_id", "role", "scope", "organisation_id", "municipality_id", "block_id"))
    new = []
    for spec in specs:
        organisation = orgs[spec["organisation"]] if "organisation" in spec else None
        municipality = municipalities[spec["municipality"]] if "municipality" in spec else None
        block = blocks[spec["block"]] if "block" in spec else None
        user = users[spec["user"]]
        k = key(user.pk, spec["role"], spec["scope"], getattr(organisation, "pk", None),
                getattr(municipality, "pk", None), getattr(block, "pk", None))
        if k not in existing:
            existing.add(k)
            new.append(RoleAssignment(user=user, role=spec["role"], scope=spec["scope"], organisation=organisation,
                                      municipality=municipality, block=block))
    RoleAssignment.objects.bulk_create(new, batch_size=BATCH)


def _residents(*, scale: int, municipalities: dict[str, Municipality], password: str) -> None:
    """``200 × scale`` citizens (home municipality weighted by population) and the experts."""
    codes = [m["code"] for m in data.MUNICIPALITIES]
    weights = [m["population"] for m in data.MUNICIPALITIES]
    specs: dict[str, dict] = {
        email("citizen"): {"surname": "Горожанин", "given_name": "Иван", "patronymic": "Кубанович",
                           "home_municipality": municipalities["krasnodar"], "residence_verified": True,
                           "email_confirmed": True, "date_joined": JOINED_BEFORE - dt.timedelta(days=400)},
    }
    for n in range(1, CITIZENS_PER_SCALE * scale):
        rng = random.Random(f"krai-demo-citizen-{n}")  # his own seed: the same person at any scale
        confirmed = rng.random() < 0.9
        specs[email(f"citizen.{n:05d}")] = {
            **random_person(rng),
            "home_municipality": municipalities[rng.choices(codes, weights)[0]],
            "email_confirmed": confirmed,
            "residence_verified": confirmed and rng.random() < 0.3,
            "date_joined": JOINED_BEFORE - dt.timedelta(days=rng.randrange(730), minutes=rng.randrange(1440)),
        }
    for n in range(1, EXPERTS + 1):
        rng = random.Random(f"krai-demo-expert-{n}")
        specs[email(f"expert{n:02d}")] = {**random_person(rng), "email_confirmed": True, "residence_verified": True,
                                          "home_municipality": municipalities[rng.choices(codes, weights)[0]]}
    existing = set(User.objects.filter(email__endswith=f"@{DOMAIN}", is_staff=False).values_list("email", flat=True))
    User.objects.bulk_create([User(email=address, password=password, **fields)
                              for address, fields in specs.items() if address not in existing], batch_size=BATCH)
    experts = {u.email: u for u in User.objects.filter(email__in=[email(f"expert{n:02d}")
                                                                  for n in range(1, EXPERTS + 1)])}
    _roles([{"user": address, "role": Role.EXPERT, "scope": ScopeKind.SELF} for address in experts], experts)


@demo_loader(order=10)
def load_structure(*, scale: int, stdout: TextIO) -> list[str]:
    """The region, its municipalities and government, its people (see the module's docstring)."""
    password = make_password(settings.KRAI_DEMO_PASSWORD)  # hashed once: hundreds of users share it
    plan = plan_structure()
    plan.person("admin", {"surname": "Администратор", "given_name": "Демо", "patronymic": ""})
    plan.users[email("admin")]["is_superuser"] = True
    region = _region()
    municipalities = _municipalities(region)
    users = _ensure_users(plan.users, password)
    blocks = _blocks(users)
    orgs = _organisations(plan, blocks, municipalities)
    _positions(plan, orgs, users)
    _roles(plan.roles, users, orgs=orgs, blocks=blocks, municipalities=municipalities)
    _residents(scale=scale, municipalities=municipalities, password=password)
    stdout.write(f"  org: {len(municipalities)} municipalities, {len(orgs)} organisations, "
                 f"{len(plan.users)} staff, {CITIZENS_PER_SCALE * scale} citizens, {EXPERTS} experts\n")
    return [
        f"{email('governor'):<34} the governor",
        f"{email('vice.social'):<34} a vice-governor (social block)",
        f"{email('head.health'):<34} a department head (health)",
        f"{email('exec1.unit1.health'):<34} an executor (health, unit 1)",
        f"{email('controller'):<34} a controller (Department of Control)",
        f"{email('admin'):<34} the administrator",
        f"{email('citizen'):<34} a citizen (Krasnodar)",
        f"{email('expert01'):<34} an expert",
    ]

