"""Token scopes on construction's API: every write of every construction endpoint (found by walking the area's
URL patterns, so a new endpoint is covered the day it is added) and the kernel's import of illegal
constructions needs ``write`` and ``construction:write``; a token without them is refused (403, the reason named)
and nothing changes anywhere. With the scopes the same calls pass the token check (whatever the area then
answers). A read-only token reads every public read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern

from krai.construction.api import urlpatterns as construction_api
from krai.construction.models import WorkStatus
from krai.construction.tests.factories import (
    construction_object,
    illegal_construction,
    inspection_body,
    keeper,
    municipality,
    resident,
    verification_request,
    work,
)
from krai.construction.tests.test_journey_api import (
    FOUND,
    IMPORTS,
    LAT,
    LON,
    TODAY,
    client_of,
    filing,
    png,
    visit,
    work_values,
    xlsx,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/"
WRITES = ("post", "patch", "put", "delete")
TOKEN_REFUSAL = re.compile(r"This token (lacks|may only read|may not read)")
#: the writes a resident makes (a keeper makes the rest)
RESIDENTS_WRITES = {"construction/requests/", "construction/works/<int:pk>/subscribe/",
                    "construction/works/<int:pk>/unsubscribe/", "construction/works/<int:pk>/rate/"}
#: apps whose rows a write of construction could add or change
WATCHED = {"construction", "orders", "events", "files", "imports", "notifications", "lawsuits"}


def _writes() -> list[tuple[str, str]]:
    """(method, route) of every write the area's API offers."""
    found = []
    for pattern in construction_api:
        assert isinstance(pattern, URLPattern)
        view = pattern.callback.view_class
        found += [(method, str(pattern.pattern)) for method in WRITES if hasattr(view, method)]
    return found


def _reads() -> list[str]:
    return [str(p.pattern) for p in construction_api if hasattr(p.callback.view_class, "get")]


class World:
    """One row of each kind, and who would be allowed each write."""

    def __init__(self) -> None:
        place = municipality()
        inspection_body()
        self.keeper = keeper()
        self.resident = resident()
        self.object = construction_object(municipality=place)
        self.request = verification_request()
        self.illegal = illegal_construction(municipality=place)
        self.work = work(municipality=place, status=WorkStatus.COMPLETED, actual_start=TODAY, actual_end=TODAY)
        self.pks = {"objects": self.object.pk, "requests": self.request.pk, "illegal": self.illegal.pk,
                    "works": self.work.pk}

    def path(self, route: str) -> str:
        part = route.split("/")[1]
        return BASE + route.replace("<int:pk>", str(self.pks.get(part, 1)))

    def clients(self, scopes: list[str]) -> None:
        """The resident's and the keeper's tokens with these scopes (made before anything is counted: a token
        made is an event)."""
        self.resident_client, self.keeper_client = client_of(self.resident, scopes), client_of(self.keeper, scopes)

    def call(self, method: str, route: str) -> Any:
        """The write as its rightful actor would make it, with a body the area would accept."""
        client = self.resident_client if route in RESIDENTS_WRITES else self.keeper_client
        data, form = self.body(route)
        return getattr(client, method)(self.path(route), data, format=form)

    def body(self, route: str) -> tuple[dict[str, Any], str]:
        today = TODAY.isoformat()
        bodies = {
            "construction/objects/": {"name": "Дом", "address": "Краснодар, ул. Новая, 1", "lat": LAT, "lon": LON},
            "construction/objects/<int:pk>/": {"description": "Изменено"},
            "construction/requests/": filing(),
            "construction/requests/<int:pk>/inspect/": visit(decision="legal"),
            "construction/requests/<int:pk>/cancel/": {"reason": "Дубль"},
            "construction/illegal/": {"address": "Краснодар, у рынка", "found_on": today, "lat": LAT, "lon": LON},
            "construction/illegal/<int:pk>/": {"status": "measures"},
            "construction/illegal/<int:pk>/measures/": {"kind": "demolished", "taken_on": today},
            "construction/works/": work_values(self.work.responsible_body),
            "construction/works/<int:pk>/": {"contractor": "ООО «Новый»"},
            "construction/works/<int:pk>/reschedule/": {"planned_start": today, "planned_end": today,
                                                         "reason": "Перенос"},
            "construction/works/<int:pk>/suspend/": {"reason": "Дожди"},
            "construction/works/<int:pk>/rate/": {"score": 5, "comment": "Отлично"},
        }
        if route.endswith("/files/"):
            return {"kind": "photo", "file": png()}, "multipart"
        return bodies.get(route, {}), "json"


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label in WATCHED}


def _state(world: World) -> tuple[Any, ...]:
    for row in (world.object, world.request, world.illegal, world.work):
        row.refresh_from_db()
    return (world.object.updated_at, world.request.status, world.illegal.updated_at, world.work.updated_at,
            world.work.contractor)


def test_the_walk_finds_every_write() -> None:
    routes = {route for _method, route in _writes()}
    assert len(_writes()) >= 20
    assert {"construction/requests/<int:pk>/inspect/", "construction/illegal/<int:pk>/measures/",
            "construction/works/<int:pk>/rate/", "construction/objects/<int:pk>/files/"} <= routes


@pytest.mark.parametrize("scopes", [["read"], ["read", "write"], ["read", "write", "lawmaking:write"],
                                    ["read", "construction:write"], ["write", "imports:write"]])
def test_a_token_without_construction_write_changes_nothing(scopes: list[str]) -> None:
    world = World()
    world.clients(scopes)
    importer = client_of(world.keeper, [*scopes, "imports:write"])
    before, state = _counts(), _state(world)
    wrong = []
    for method, route in _writes():
        response = world.call(method, route)
        if response.status_code != 403 or not TOKEN_REFUSAL.search(response.json()["error"]["message"]):
            wrong.append(f"{method.upper()} {route}: {response.status_code} {response.content[:200]!r}")
    response = importer.post(IMPORTS, {"file": xlsx([["Краснодар, ул. Садовая, 3", None, None, None, FOUND, None,
                                                      None, None, None]])}, format="multipart")
    if response.status_code != 403:
        wrong.append(f"import: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert _counts() == before
    assert _state(world) == state


def test_with_the_scopes_the_same_calls_pass_the_token_check() -> None:
    world = World()
    world.clients(["read", "write", "construction:write"])
    passed = []
    for method, route in _writes():
        response = world.call(method, route)
        message = response.json().get("error", {}).get("message", "") if response.content else ""
        assert not (response.status_code == 403 and TOKEN_REFUSAL.search(message)), (route, message)
        passed.append(response.status_code)
    assert passed.count(200) + passed.count(201) >= 10, passed
    response = client_of(world.keeper, ["read", "write", "construction:write", "imports:write"]).post(
        IMPORTS, {"file": xlsx([["Краснодар, ул. Садовая, 3", None, LAT, LON, FOUND, None, None, None, None]])},
        format="multipart")
    assert response.status_code == 201, response.content


def test_a_read_only_token_reads_everything_public() -> None:
    world = World()
    client = client_of(resident(), ["read"])
    for route in _reads():
        path = world.path(route)
        query = {"lat": LAT, "lon": LON} if route.endswith("nearby/") else {}
        accept = {"HTTP_ACCEPT": "application/pdf"} if route.endswith(".pdf") else {}
        response = client.get(path, query, **accept)
        assert response.status_code == 200, (path, response.content[:300])
    assert client_of(resident(), ["write", "construction:write"]).get(world.path("construction/works/")
                                                                       ).status_code == 403
