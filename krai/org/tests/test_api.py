"""The org API for every kind of actor: what each may read, and that refused writes change nothing."""

import pytest
from rest_framework.test import APIClient

from krai.core.events.models import Event
from krai.org.models import Block, Municipality, Organisation, Position, RoleAssignment, User
from krai.org.tests.factories import (
    MunicipalityFactory,
    PositionFactory,
    StaffFactory,
    UserFactory,
    square,
)

ACTORS = ["anonymous", "citizen", "executor_a", "vice_a", "head_b", "controller", "admin"]


@pytest.fixture
def world(two_blocks):
    """Block A (social: health ⊃ health_unit) and block B (economy: finance), municipalities, posts, people."""
    w = dict(two_blocks)
    w["executor_a"], w["vice_a"], w["head_b"] = w["executor"], w["vice"], w["head"]
    w["citizen"] = UserFactory()
    w["admin"] = StaffFactory(is_superuser=True)
    w["anonymous"] = None
    w["west"] = MunicipalityFactory(code="west", boundary=square(38, 45))
    w["east"] = MunicipalityFactory(code="east", boundary=square(38.5, 45))
    w["health_head"] = PositionFactory(organisation=w["health"], title="Министр", is_head=True, holder=w["vice"])
    w["vacancy"] = PositionFactory(organisation=w["health_unit"], title="Главный специалист")
    w["finance_head"] = PositionFactory(organisation=w["finance"], title="Министр финансов", is_head=True,
                                        holder=w["head"])
    w["head_b_role"] = RoleAssignment.objects.get(user=w["head"])
    w["executor_a_role"] = RoleAssignment.objects.get(user=w["executor"])
    return w


def client_for(world, actor: str) -> APIClient:
    client = APIClient()
    if world[actor] is not None:
        client.force_authenticate(world[actor])
    return client


def snapshot():
    """Everything a refused write could have touched."""
    return (
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "path", "block_id", "is_active")),
        list(Municipality.objects.order_by("pk").values_list("pk", "name", "min_lon", "is_active")),
        list(Block.objects.order_by("pk").values_list("pk", "name", "vice_governor_id", "is_active")),
        list(Position.objects.order_by("pk").values_list("pk", "title", "holder_id")),
        list(RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "role")),
        list(User.objects.order_by("pk").values_list("pk", "email", "is_active", "is_staff")),
        Event.objects.count(),
    )


# --- public reads --------------------------------------------------------------------------------

PUBLIC_READS = [
    "/api/v1/municipalities/",
    "/api/v1/municipalities/?format=geojson",
    "/api/v1/municipalities.geojson",
    "/api/v1/municipalities/{west}/",
    "/api/v1/municipalities/locate/?lon=38.2&lat=45.2",
    "/api/v1/blocks/",
    "/api/v1/blocks/{social}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{finance}/",
    "/api/v1/organisations/tree/",
    "/api/v1/organisations/{health}/staffing/",
    "/api/v1/positions/",
    "/api/v1/positions/{vacancy}/",
]


def url(template: str, world) -> str:
    return template.format(**{k: getattr(v, "pk", None) for k, v in world.items()})


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("template", PUBLIC_READS)
def test_the_public_structure_is_readable_by_everyone(world, actor, template):
    response = client_for(world, actor).get(url(template, world))
    assert response.status_code == 200, response.content


# --- internal reads: people ----------------------------------------------------------------------

PEOPLE = {  # organisation → who may read its people (everyone else: 404, anonymous: 401)
    "health": {"vice_a", "controller", "admin"},
    "health_unit": {"executor_a", "vice_a", "controller", "admin"},
    "finance": {"head_b", "controller", "admin"},
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("organisation", sorted(PEOPLE))
def test_people_are_read_within_scope_only(world, actor, organisation):
    response = client_for(world, actor).get(f"/api/v1/organisations/{world[organisation].pk}/people/")
    if actor == "anonymous":
        assert response.status_code == 401
    elif actor in PEOPLE[organisation]:
        assert response.status_code == 200
        assert response.json()["organisation"]["id"] == world[organisation].pk
    else:
        assert response.status_code == 404
        missing = client_for(world, actor).get("/api/v1/organisations/999999/people/")
        assert response.json() == missing.json()  # forbidden and missing answer alike


def test_people_show_contacts_and_roles(world):
    body = client_for(world, "vice_a").get(f"/api/v1/organisations/{world['health'].pk}/people/").json()
    holders = {p["title"]: p["holder"] for p in body["positions"]}
    assert holders["Министр"]["email"] == world["vice"].email
    assert holders["Главный специалист"] is None
    assert [a["user"]["id"] for a in body["role_assignments"]] == [world["executor"].pk]


# --- internal reads: role assignments ------------------------------------------------------------

ROLE_READERS = {"head_b_role": {"head_b", "controller", "admin"},
                "executor_a_role": {"executor_a", "vice_a", "controller", "admin"}}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("assignment", sorted(ROLE_READERS))
def test_role_assignments_are_read_within_scope_only(world, actor, assignment):
    client = client_for(world, actor)
    response = client.get(f"/api/v1/role-assignments/{world[assignment].pk}/")
    listed = client.get("/api/v1/role-assignments/?page_size=500")
    if actor == "anonymous":
        assert response.status_code == 401 and listed.status_code == 401
        return
    ids = {row["id"] for row in listed.json()["results"]}
    if actor in ROLE_READERS[assignment]:
        assert response.status_code == 200 and world[assignment].pk in ids
    else:
        assert response.status_code == 404 and world[assignment].pk not in ids


# --- users ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("actor", ACTORS)
def test_users_are_for_administrators(world, actor):
    client = client_for(world, actor)
    responses = [client.get("/api/v1/users/"), client.get(f"/api/v1/users/{world['citizen'].pk}/")]
    expected = {"anonymous": 401, "admin": 200}.get(actor, 403)
    assert [r.status_code for r in responses] == [expected, expected]


# --- refused writes change nothing ---------------------------------------------------------------

WRITES = [
    ("post", "/api/v1/organisations/", {"code": "new-dept", "name": "Новое министерство", "kind": "department"}),
    ("patch", "/api/v1/organisations/{health}/", {"name": "Переименовано", "parent": "{finance}"}),
    ("post", "/api/v1/organisations/{finance}/deactivate/", {}),
    ("post", "/api/v1/municipalities/", {"code": "new-m", "name": "Новый", "kind": "urban_okrug",
                                         "boundary": square(40, 45)}),
    ("patch", "/api/v1/municipalities/{west}/", {"boundary": square(30, 40)}),
    ("post", "/api/v1/municipalities/{east}/deactivate/", {}),
    ("post", "/api/v1/blocks/", {"code": "new-block", "name": "Новый блок"}),
    ("patch", "/api/v1/blocks/{economy}/", {"vice_governor": "{executor}"}),
    ("post", "/api/v1/positions/", {"organisation": "{finance}", "title": "Советник"}),
    ("post", "/api/v1/positions/{vacancy}/assign/", {"holder": "{executor}"}),
    ("post", "/api/v1/positions/{health_head}/vacate/", {}),
    ("delete", "/api/v1/positions/{vacancy}/", None),
    ("post", "/api/v1/role-assignments/", {"user": "{executor}", "role": "head", "scope": "organisation",
                                           "organisation": "{finance}"}),
    ("delete", "/api/v1/role-assignments/{executor_a_role}/", None),
    ("post", "/api/v1/users/", {"email": "new.person@example.ru", "surname": "Новиков", "given_name": "Н"}),
    ("patch", "/api/v1/users/{citizen}/", {"surname": "Взломщик"}),
    ("post", "/api/v1/users/{citizen}/deactivate/", {}),
]


def fill(value, world):
    if isinstance(value, str) and value.startswith("{"):
        return world[value[1:-1]].pk
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "admin"])
@pytest.mark.parametrize("method, template, data", WRITES, ids=[f"{m} {t}" for m, t, _ in WRITES])
def test_only_administrators_write_and_refusals_change_nothing(world, actor, method, template, data):
    before = snapshot()
    response = getattr(client_for(world, actor), method)(url(template, world), fill(data, world), format="json")
    assert response.status_code == (401 if actor == "anonymous" else 403), response.content
    assert response.json()["error"]["status"] == response.status_code
    assert snapshot() == before


@pytest.mark.parametrize("method, template, data", WRITES, ids=[f"{m} {t}" for m, t, _ in WRITES])
def test_an_administrator_writes_through_the_services(world, method, template, data):
    before = Event.objects.count()
    response = getattr(client_for(world, "admin"), method)(url(template, world), fill(data, world), format="json")
    assert response.status_code in (200, 201, 204), response.content
    assert Event.objects.count() == before + 1  # one service call, one event


# --- behaviour -----------------------------------------------------------------------------------

def test_locate(world):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    found = client.get("/api/v1/municipalities/locate/?lon=38.7&lat=45.2")
    assert found.status_code == 200 and found.json()["code"] == "east"
    sea = client.get("/api/v1/municipalities/locate/?lon=37.0&lat=44.0")
    assert sea.status_code == 404
    assert sea.json()["error"]["message"] == "No municipality of the region contains this point."
    for query in ("lon=200&lat=45", "lon=abc&lat=45", "lat=45", "lon=nan&lat=45", "lon=38&lat=-95"):
        bad = client.get(f"/api/v1/municipalities/locate/?{query}")
        assert bad.status_code == 400, query
        assert bad.json()["error"]["fields"]


def test_geojson_list_and_detail(world):
    client = APIClient()
    collection = client.get("/api/v1/municipalities/?format=geojson")
    assert collection["Content-Type"].startswith("application/geo+json")
    same = client.get("/api/v1/municipalities.geojson")
    assert collection.json() == same.json()
    features = collection.json()["features"]
    assert [f["properties"]["code"] for f in features] == ["east", "west"]
    assert features[1]["geometry"] == square(38, 45)
    detail = client.get(f"/api/v1/municipalities/{world['west'].pk}/").json()
    assert detail["boundary"]["type"] == "Polygon" and detail["bbox"] == [38, 45, 38.5, 45.5]
    feature = client.get(f"/api/v1/municipalities/{world['west'].pk}/?format=geojson").json()
    assert feature["type"] == "Feature" and feature["properties"]["code"] == "west"
    listed = client.get("/api/v1/municipalities/").json()["results"]
    assert "boundary" not in listed[0]


def test_organisation_filters_and_tree(world):
    client = APIClient()

    def names(query):
        response = client.get(f"/api/v1/organisations/?{query}")
        assert response.status_code == 200, response.content
        return sorted(o["name"] for o in response.json()["results"])

    assert names(f"block={world['economy'].pk}") == ["Министерство финансов"]
    assert names("kind=unit") == ["Отдел лицензирования"]
    assert names(f"parent={world['health'].pk}") == ["Отдел лицензирования"]
    assert names("parent=none") == ["Министерство здравоохранения", "Министерство финансов"]
    assert client.get("/api/v1/organisations/?parent=abc").status_code == 400
    assert client.get("/api/v1/organisations/?kind=ministry").status_code == 400
    tree = client.get("/api/v1/organisations/tree/").json()
    by_name = {node["name"]: node for node in tree}
    assert [c["name"] for c in by_name["Министерство здравоохранения"]["children"]] == ["Отдел лицензирования"]
    assert by_name["Министерство финансов"]["children"] == []
    subtree = client.get(f"/api/v1/organisations/tree/?root={world['health_unit'].pk}").json()
    assert [n["name"] for n in subtree] == ["Отдел лицензирования"]


def test_staffing_and_vacancies(world):
    client = APIClient()
    staffing = client.get(f"/api/v1/organisations/{world['health'].pk}/staffing/").json()
    assert (staffing["total"], staffing["filled"], staffing["vacancies"]) == (2, 1, 1)
    vacancies = client.get("/api/v1/positions/?vacant=true").json()["results"]
    assert [(p["title"], p["holder"]) for p in vacancies] == [("Главный специалист", None)]
    filled = client.get(f"/api/v1/positions/{world['health_head'].pk}/").json()
    assert filled["holder"]["full_name"] == world["vice"].full_name and "email" not in filled["holder"]


def test_admin_errors_are_clear_and_change_nothing(world):
    client = client_for(world, "admin")
    before = snapshot()
    cycle = client.patch(f"/api/v1/organisations/{world['health'].pk}/",
                         {"parent": world["health_unit"].pk}, format="json")
    assert cycle.status_code == 400 and "parent" in cycle.json()["error"]["fields"]
    bowtie = {"type": "Polygon", "coordinates": [[[38, 45], [39, 46], [39, 45], [38, 46], [38, 45]]]}
    bad = client.post("/api/v1/municipalities/", {"code": "bow", "name": "Бантик", "kind": "urban_okrug",
                                                  "boundary": bowtie}, format="json")
    assert bad.status_code == 400 and "boundary" in bad.json()["error"]["fields"]
    duplicate = client.post("/api/v1/users/", {"email": world["citizen"].email.upper(), "surname": "Д",
                                               "given_name": "Д"}, format="json")
    assert duplicate.status_code == 400 and "email" in duplicate.json()["error"]["fields"]
    assert client.post("/api/v1/organisations/", {"name": "Без кода"}, format="json").status_code == 400
    assert snapshot() == before


def test_admin_creates_staff_and_gives_a_role(world):
    client = client_for(world, "admin")
    created = client.post("/api/v1/users/", {"email": "new.head@example.ru", "surname": "Новиков",
                                             "given_name": "Николай"}, format="json")
    assert created.status_code == 201 and created.json()["is_staff"] is True
    role = client.post("/api/v1/role-assignments/", {"user": created.json()["id"], "role": "head",
                                                     "scope": "organisation", "organisation": world["finance"].pk},
                       format="json")
    assert role.status_code == 201
    assert client.get(f"/api/v1/users/{created.json()['id']}/").json()["roles"] == ["head"]
    staff = client.get("/api/v1/users/?staff=true&search=Новиков").json()["results"]
    assert [u["email"] for u in staff] == ["new.head@example.ru"]


def test_the_schema_is_valid_and_covers_the_org_api(db):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in ("/api/v1/municipalities/", "/api/v1/municipalities.geojson", "/api/v1/municipalities/locate/",
                 "/api/v1/organisations/tree/", "/api/v1/organisations/{id}/people/", "/api/v1/positions/{id}/assign/",
                 "/api/v1/role-assignments/", "/api/v1/users/"):
        assert path in schema["paths"], path
    assert schema["paths"]["/api/v1/municipalities/locate/"]["get"]["responses"]["404"]
    assert {"MunicipalityKindEnum", "OrganisationKindEnum"} <= set(schema["components"]["schemas"])
