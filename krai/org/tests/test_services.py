import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from krai.core.events.models import Event
from krai.org import services
from krai.org.models import Block, Municipality, Organisation, Position, Role, RoleAssignment, ScopeKind, User
from krai.org.scopes import scope_for
from krai.org.tests.factories import (
    BlockFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PositionFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
    assign,
    square,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the messages are asserted in their source language
        yield


@pytest.fixture
def admin(db):
    return StaffFactory(is_superuser=True, email="admin@example.ru")


def kinds():
    return list(Event.objects.values_list("kind", flat=True))


# --- permissions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["citizen", "staff", "controller", "head"])
def test_only_administrators_change_the_structure(db, who):
    actor = UserFactory() if who == "citizen" else StaffFactory()
    if who == "controller":
        assign(actor, Role.CONTROLLER)
    if who == "head":
        org = OrganisationFactory()
        assign(actor, Role.HEAD, organisation=org)
    RegionFactory()
    before = (Organisation.objects.count(), Municipality.objects.count(), Block.objects.count(), Event.objects.count())
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=actor, code="x", name="X", kind="department")
    with pytest.raises(PermissionDenied):
        services.municipality_create(actor=actor, code="m", name="M", kind="urban_okrug", boundary=square(38, 45))
    with pytest.raises(PermissionDenied):
        services.block_create(actor=actor, code="b", name="B")
    with pytest.raises(PermissionDenied):
        services.user_create(actor=actor, email="new@example.ru", surname="Н", given_name="Н")
    after = (Organisation.objects.count(), Municipality.objects.count(), Block.objects.count(), Event.objects.count())
    assert before == after


def test_an_administrator_by_role_may_change_the_structure(db):
    actor = StaffFactory()
    assign(actor, Role.ADMINISTRATOR)
    org = services.organisation_create(actor=actor, code="dept", name="Министерство", kind="department")
    assert org.pk and kinds() == ["org.organisation_created"]


# --- municipalities ------------------------------------------------------------------------------

def test_municipality_create_fills_the_bounding_box_and_centre(admin):
    RegionFactory()
    m = services.municipality_create(actor=admin, code="sochi", name="Сочи", kind="urban_okrug",
                                     boundary=square(39.5, 43.5, 0.4))
    m.refresh_from_db()
    assert (m.min_lon, m.min_lat, m.max_lon, m.max_lat) == (39.5, 43.5, pytest.approx(39.9), pytest.approx(43.9))
    assert 39.5 < m.centre_lon < 39.9 and 43.5 < m.centre_lat < 43.9
    assert kinds() == ["org.municipality_created"]


@pytest.mark.parametrize("boundary, message", [
    ({"type": "Point", "coordinates": [38, 45]}, "Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[38, 45], [39, 46], [39, 45], [38, 46], [38, 45]]]}, "not a valid polygon"),
    ({"type": "Polygon", "coordinates": [[[45, 38], [45, 95], [46, 95], [45, 38]]]}, "Latitudes"),
    ({"type": "Polygon", "coordinates": [[[38, 45], [238, 45], [39, 46], [38, 45]]]}, "Longitudes"),
    ({"type": "Polygon", "coordinates": "nonsense"}, "malformed"),
    ({"type": "Polygon"}, "GeoJSON geometry"),
    ("Polygon", "GeoJSON geometry"),
])
def test_a_bad_boundary_is_refused_and_nothing_is_written(admin, boundary, message):
    RegionFactory()
    with pytest.raises(ValidationError) as err:
        services.municipality_create(actor=admin, code="bad", name="Плохой", kind="urban_okrug", boundary=boundary)
    assert message in " ".join(err.value.message_dict["boundary"])
    assert not Municipality.objects.exists() and not Event.objects.exists()


def test_a_multipolygon_and_a_feature_are_accepted(admin):
    RegionFactory()
    multi = {"type": "MultiPolygon", "coordinates": [square(38, 45)["coordinates"], square(40, 45)["coordinates"]]}
    m = services.municipality_create(actor=admin, code="multi", name="Два куска", kind="municipal_district",
                                     boundary={"type": "Feature", "properties": {}, "geometry": multi})
    assert m.boundary["type"] == "MultiPolygon" and (m.min_lon, m.max_lon) == (38, 40.5)


def test_municipality_update_and_deactivate(admin):
    m = MunicipalityFactory(boundary=square(38, 45), centre_lon=38.1, centre_lat=45.1)
    services.municipality_update(actor=admin, municipality=m, boundary=square(30, 50), name="Новое")
    m.refresh_from_db()
    assert (m.name, m.min_lon, m.centre_lon) == ("Новое", 30, 38.1)  # the admin centre stays where it is
    OrganisationFactory(kind="municipal_administration", municipality=m)
    with pytest.raises(ValidationError):
        services.municipality_deactivate(actor=admin, municipality=m)
    Organisation.objects.update(is_active=False)
    services.municipality_deactivate(actor=admin, municipality=m)
    m.refresh_from_db()
    assert not m.is_active
    assert kinds() == ["org.municipality_updated", "org.municipality_deactivated"]


def test_region_outline_is_validated(admin):
    region = RegionFactory()
    with pytest.raises(ValidationError):
        services.region_update(actor=admin, region=region, outline={"type": "LineString", "coordinates": []})
    services.region_update(actor=admin, region=region, outline=square(36, 43, 5), population=5_800_000)
    region.refresh_from_db()
    assert region.outline["type"] == "Polygon" and region.population == 5_800_000


# --- organisations: the tree ---------------------------------------------------------------------

def test_a_unit_takes_its_parents_block_and_needs_a_parent(admin):
    block = BlockFactory()
    dept = services.organisation_create(actor=admin, code="health", name="Минздрав", kind="department", block=block)
    unit = services.organisation_create(actor=admin, code="health-lic", name="Отдел", kind="unit", parent=dept)
    assert unit.block == block and unit.path == f"{dept.path}{unit.pk:06d}." and unit.depth == 1
    with pytest.raises(ValidationError) as err:
        services.organisation_create(actor=admin, code="orphan", name="Сирота", kind="unit")
    assert "parent" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.organisation_create(actor=admin, code="adm", name="Администрация", kind="municipal_administration")
    assert "municipality" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.organisation_create(actor=admin, code="health", name="Дубль", kind="department")
    assert "code" in err.value.message_dict


def test_moving_under_itself_or_its_own_unit_is_refused(admin, two_blocks):
    health, unit = two_blocks["health"], two_blocks["health_unit"]
    deeper = OrganisationFactory(parent=unit, block=unit.block, kind="unit")
    paths = dict(Organisation.objects.values_list("pk", "path"))
    for target in (health, unit, deeper):
        with pytest.raises(ValidationError) as err:
            services.organisation_update(actor=admin, organisation=health, parent=target)
        assert "own units" in err.value.message_dict["parent"][0]
    assert dict(Organisation.objects.values_list("pk", "path")) == paths
    assert not Event.objects.exists()


def test_a_move_carries_the_subtree_and_a_units_block_follows(admin, two_blocks):
    unit, finance, economy = two_blocks["health_unit"], two_blocks["finance"], two_blocks["economy"]
    below = OrganisationFactory(parent=unit, block=unit.block, kind="unit")
    services.organisation_update(actor=admin, organisation=unit, parent=finance)
    unit.refresh_from_db()
    below.refresh_from_db()
    assert unit.path.startswith(finance.path) and below.path.startswith(unit.path)
    assert unit.block == economy and below.block == economy  # the vice-governor of economy now sees them
    event = Event.objects.get(kind="org.organisation_updated")
    assert event.payload["moved"]["to"] == unit.path


def test_moving_to_the_top_level(admin, two_blocks):
    unit = two_blocks["health_unit"]
    services.organisation_update(actor=admin, organisation=unit, parent=None, kind="department")
    unit.refresh_from_db()
    assert unit.parent is None and unit.depth == 0 and unit.path == f"{unit.pk:06d}."


def test_a_unit_cannot_lose_its_parent(admin, two_blocks):
    with pytest.raises(ValidationError):
        services.organisation_update(actor=admin, organisation=two_blocks["health_unit"], parent=None)


def test_renaming_a_unit_keeps_it_in_place(admin, two_blocks):
    unit = services.organisation_update(actor=admin, organisation=two_blocks["health_unit"], name="Новое имя")
    assert unit.name == "Новое имя" and unit.parent == two_blocks["health"]


def test_deactivating_an_organisation_deactivates_its_units(admin, two_blocks):
    services.organisation_deactivate(actor=admin, organisation=two_blocks["health"])
    assert set(Organisation.objects.filter(is_active=False).values_list("name", flat=True)) == {
        "Министерство здравоохранения", "Отдел лицензирования"}
    with pytest.raises(ValidationError):
        services.organisation_create(actor=admin, code="u", name="U", kind="unit", parent=two_blocks["health"])


def test_block_with_active_bodies_cannot_close(admin, two_blocks):
    with pytest.raises(ValidationError):
        services.block_deactivate(actor=admin, block=two_blocks["social"])
    empty = BlockFactory()
    assert not services.block_deactivate(actor=admin, block=empty).is_active


def test_a_new_vice_governor_takes_the_role_over(admin, two_blocks):
    block, old = two_blocks["social"], two_blocks["vice"]
    services.block_update(actor=admin, block=block, vice_governor=old)
    new = StaffFactory()
    services.block_update(actor=admin, block=block, vice_governor=new)
    assert RoleAssignment.objects.filter(role=Role.VICE_GOVERNOR, block=block).get().user == new
    assert block.pk in scope_for(new).block_ids
    with pytest.raises(ValidationError):
        services.block_update(actor=admin, block=block, vice_governor=UserFactory())  # not staff


# --- positions -----------------------------------------------------------------------------------

def test_positions_assign_and_vacate(admin, two_blocks):
    health = two_blocks["health"]
    head = services.position_create(actor=admin, organisation=health, title="Министр", is_head=True)
    assert head.holder is None
    with pytest.raises(ValidationError) as err:
        services.position_create(actor=admin, organisation=health, title="Второй министр", is_head=True)
    assert "is_head" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.position_assign(actor=admin, position=head, holder=UserFactory())  # a citizen
    person = StaffFactory()
    services.position_assign(actor=admin, position=head, holder=person)
    assert Position.objects.get(pk=head.pk).holder == person
    services.position_vacate(actor=admin, position=head)
    assert Position.objects.get(pk=head.pk).holder is None
    assert kinds() == ["org.position_created", "org.position_assigned", "org.position_vacated"]


def test_position_update_and_abolish(admin):
    first = PositionFactory(is_head=True)
    second = PositionFactory(organisation=first.organisation)
    with pytest.raises(ValidationError):
        services.position_update(actor=admin, position=second, is_head=True)
    services.position_update(actor=admin, position=second, title="Заместитель", sort_order=2)
    services.position_abolish(actor=admin, position=first)
    assert list(Position.objects.values_list("title", flat=True)) == ["Заместитель"]


def test_assigning_a_holder_needs_manage_users(db, two_blocks):
    position = PositionFactory(organisation=two_blocks["health"])
    with pytest.raises(PermissionDenied):
        services.position_assign(actor=two_blocks["vice"], position=position, holder=two_blocks["executor"])
    assert Position.objects.get(pk=position.pk).holder is None


# --- roles and users -----------------------------------------------------------------------------

def test_role_assign_checks_scope_and_target(admin, two_blocks):
    user, health = StaffFactory(), two_blocks["health"]
    cases = [
        {"role": Role.HEAD, "scope": ScopeKind.ORGANISATION},  # no organisation named
        {"role": Role.HEAD, "scope": ScopeKind.ORGANISATION, "organisation": health, "block": two_blocks["social"]},
        {"role": Role.GOVERNOR, "scope": ScopeKind.BLOCK, "block": two_blocks["social"]},  # governor acts in the region
        {"role": Role.CITIZEN, "scope": ScopeKind.SELF},
        {"role": "tsar", "scope": ScopeKind.REGION},
        {"role": Role.EXECUTOR, "scope": "galaxy"},
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            services.role_assign(actor=admin, user=user, **case)
    with pytest.raises(ValidationError):
        services.role_assign(actor=admin, user=UserFactory(), role=Role.HEAD, scope=ScopeKind.ORGANISATION,
                             organisation=health)  # a citizen account
    assert not RoleAssignment.objects.filter(user=user).exists() and not Event.objects.exists()


def test_role_assign_and_revoke_change_the_scope_at_once(admin, two_blocks):
    user, health = StaffFactory(), two_blocks["health"]
    assert not scope_for(user).covers_organisation(health)
    assignment = services.role_assign(actor=admin, user=user, role=Role.HEAD, scope=ScopeKind.ORGANISATION,
                                      organisation=health)
    assert scope_for(user).covers_organisation(health)
    with pytest.raises(ValidationError):
        services.role_assign(actor=admin, user=user, role=Role.HEAD, scope=ScopeKind.ORGANISATION,
                             organisation=health)
    services.role_revoke(actor=admin, assignment=assignment)
    assert not scope_for(user).covers_organisation(health)
    assert kinds() == ["org.role_assigned", "org.role_revoked"]


def test_user_create_refuses_duplicates_and_weak_passwords(admin):
    user = services.user_create(actor=admin, email="Petrov@Example.RU", surname="Петров", given_name="Пётр")
    assert user.email == "petrov@example.ru" and user.is_staff and not user.has_usable_password()
    with pytest.raises(ValidationError) as err:
        services.user_create(actor=admin, email="PETROV@example.ru", surname="Другой", given_name="Пётр")
    assert "email" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.user_create(actor=admin, email="sidorov@example.ru", surname="Сидоров", given_name="С",
                             password="12345")
    assert "password" in err.value.message_dict
    assert User.objects.filter(email__icontains="sidorov").count() == 0
    strong = services.user_create(actor=admin, email="ivanova@example.ru", surname="Иванова", given_name="Анна",
                                  password="long enough passphrase 42")
    assert strong.check_password("long enough passphrase 42")


def test_user_deactivate_vacates_posts(admin):
    person = StaffFactory()
    position = PositionFactory(holder=person)
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admin, user=admin)
    services.user_deactivate(actor=admin, user=person)
    person.refresh_from_db()
    position.refresh_from_db()
    assert not person.is_active and position.holder is None
    services.user_update(actor=admin, user=person, phone="+7 861 000-00-00", email="moved@example.ru")
    person.refresh_from_db()
    assert person.phone == "+7 861 000-00-00" and person.email == "moved@example.ru"
