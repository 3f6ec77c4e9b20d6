from io import StringIO

import pytest
import shapely
from django.conf import settings
from django.core.management import call_command

from krai.core import demo as registry
from krai.org import demo, selectors
from krai.org.models import Block, Municipality, Organisation, Position, Region, RoleAssignment, User


def run_demo(scale: int = 1) -> str:
    out = StringIO()
    call_command("demo", scale=scale, only=["krai.org.demo"], stdout=out)
    return out.getvalue()


def state():
    """Everything the org demo writes, as comparable values."""
    return {
        "region": list(Region.objects.values_list("name", "population")),
        "municipalities": list(Municipality.objects.order_by("code").values_list("code", "boundary", "min_lon")),
        "blocks": list(Block.objects.order_by("code").values_list("code", "vice_governor__email")),
        "organisations": list(Organisation.objects.order_by("code").values_list("code", "path", "block__code")),
        "positions": list(Position.objects.order_by("organisation__code", "sort_order")
                          .values_list("organisation__code", "title", "holder__email")),
        "roles": sorted(RoleAssignment.objects.values_list("user__email", "role", "scope", "organisation__code",
                                                           "municipality__code", "block__code")),
        "users": list(User.objects.order_by("email").values_list("email", "home_municipality__code",
                                                                 "email_confirmed", "is_staff", "is_superuser")),
    }


@pytest.fixture
def demo_db(db):
    output = run_demo()
    return output


def test_the_demo_twice_is_the_demo_once(demo_db):
    first = state()
    run_demo()
    assert state() == first


def test_the_demo_has_the_regions_shape(demo_db):
    assert Municipality.objects.count() == 44
    assert Municipality.objects.filter(kind=Municipality.Kind.URBAN_OKRUG).count() == 7
    assert Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).count() == 39
    assert Organisation.objects.filter(kind=Organisation.Kind.STATE_COMPANY).count() == 10
    assert Organisation.objects.filter(kind=Organisation.Kind.MUNICIPAL_ADMINISTRATION,
                                       municipality__isnull=False, block__code="internal").count() == 44
    assert Block.objects.filter(vice_governor__isnull=False).count() == 8
    for body in Organisation.objects.filter(kind__in=["department", "state_company"]):
        units = body.children.filter(kind="unit")
        assert 2 <= units.count() <= 4, body.code
        assert Position.objects.filter(organisation=body, is_head=True, holder__isnull=False).exists()
        assert all(unit.block_id == body.block_id for unit in units)
    assert Position.objects.filter(holder__isnull=True).exists()  # a few vacancies
    assert Position.objects.filter(holder__isnull=True).count() < Position.objects.count() / 5
    assert User.objects.filter(is_superuser=True, email="admin@demo.krai").exists()
    citizens = User.objects.filter(is_staff=False, email__startswith="citizen")
    assert citizens.count() == demo.CITIZENS_PER_SCALE
    assert citizens.filter(email_confirmed=True).count() > citizens.count() / 2
    assert citizens.filter(residence_verified=True).exists()
    assert RoleAssignment.objects.filter(role="expert").count() == demo.EXPERTS
    governor = User.objects.get(email="governor@demo.krai")
    assert governor.check_password(settings.KRAI_DEMO_PASSWORD)
    assert selectors.scope_for(governor).region


def test_the_logins_are_printed(demo_db):
    for login in ("governor@demo.krai", "vice.social@demo.krai", "head.health@demo.krai", "controller@demo.krai",
                  "admin@demo.krai", "citizen@demo.krai", "exec1.unit1.health@demo.krai"):
        assert login in demo_db
        assert User.objects.filter(email=login, is_active=True).exists()
    assert settings.KRAI_DEMO_PASSWORD in demo_db


def test_every_centre_locates_to_its_own_municipality(demo_db):
    for municipality in Municipality.objects.all():
        assert selectors.municipality_at(municipality.centre_lon, municipality.centre_lat) == municipality
    assert selectors.municipality_at(37.5, 44.0) is None  # the Black Sea
    assert selectors.municipality_at(30.0, 50.0) is None  # far outside the region


def test_the_cells_tile_the_outline(db):
    cells = list(demo.municipality_cells().values())
    outline = demo.region_outline()
    union = shapely.union_all(cells)
    assert sum(c.area for c in cells) == pytest.approx(outline.area, rel=1e-4)  # no overlaps …
    assert union.symmetric_difference(outline).area < outline.area * 1e-4  # … and no gaps
    assert all(c.is_valid and c.geom_type in ("Polygon", "MultiPolygon") for c in cells)
    assert demo.municipality_cells() == demo.municipality_cells()


def test_a_vice_governors_scope_is_exactly_his_block(demo_db):
    for block in Block.objects.all():
        vice = User.objects.get(email=f"vice.{block.code}@demo.krai")
        assert block.vice_governor == vice
        in_scope = set(selectors.organisations_in_scope(vice).values_list("code", flat=True))
        assert in_scope == set(Organisation.objects.filter(block=block).values_list("code", flat=True))
        assert in_scope  # not vacuous


def test_a_bigger_scale_adds_citizens_and_keeps_the_rest(demo_db):
    before = state()
    run_demo(scale=2)
    after = state()
    assert User.objects.filter(is_staff=False, email__startswith="citizen").count() == 2 * demo.CITIZENS_PER_SCALE
    assert {k: v for k, v in after.items() if k != "users"} == {k: v for k, v in before.items() if k != "users"}
    assert set(before["users"]) <= set(after["users"])


def test_the_registry_runs_loaders_in_order_seeded(db, monkeypatch):
    calls = []
    monkeypatch.setattr(registry, "_registry", {})

    @registry.demo_loader(order=20, name="second")
    def second(*, scale, stdout, rng):
        calls.append(("second", scale, rng.random()))
        return ["b@demo"]

    @registry.demo_loader(order=5, name="first")
    def first(*, scale, stdout):
        import random

        calls.append(("first", scale, random.random()))

    monkeypatch.setattr(registry, "autodiscover_modules", lambda name: None)
    logins = registry.run(scale=3, stdout=StringIO())
    again = list(calls)
    calls.clear()
    registry.run(scale=3, stdout=StringIO())
    assert [c[0] for c in again] == ["first", "second"] and logins == ["b@demo"]
    assert calls == again  # the same numbers: deterministic
