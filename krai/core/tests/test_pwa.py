"""The installable apps: each face's manifest, the service worker from the site's root with the shell it keeps, the
offline page, and every page naming its manifest and loading the app's script."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders

from krai.core import pwa
from krai.core.pwa import NEVER_KEPT, SHELL

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("face,start,scope", [("workspace", "/workspace/planner/today/", "/workspace/"),
                                              ("portal", "/", "/")])
def test_each_face_has_its_manifest(client, face, start, scope):
    response = client.get(f"/manifest/{face}.webmanifest", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["start_url"] == start and body["scope"] == scope and body["display"] == "standalone"
    assert body["lang"] == "ru" and body["name"].startswith("Край")
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in body["icons"])


def test_the_workspace_app_opens_on_the_home_without_my_day(monkeypatch):
    """The kernel names the planner's page, never imports it: without it the app opens on the workspace home."""
    monkeypatch.setattr(pwa, "WORKSPACE_START", ("nowhere:today", "workspace:home"))
    assert pwa.workspace_start_url() == "/workspace/"


def test_an_unknown_face_is_404(client):
    assert client.get("/manifest/other.webmanifest").status_code == 404


def test_the_service_worker_comes_from_the_root_with_its_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    shell = json.loads(text.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert "/offline/" in shell and all(path.startswith("/") for path in shell)
    for name in SHELL:  # every file the worker keeps exists (collectstatic would refuse a missing one too)
        assert finders.find(name), name
    assert json.loads(text.split("const NEVER_KEPT = ", 1)[1].split(";\n", 1)[0]) == list(NEVER_KEPT)
    assert "&quot;" not in text and "&#x27;" not in text  # JavaScript, not HTML-escaped


def test_the_offline_page_says_what_works_without_a_connection(client):
    response = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert "Нет связи" in response.content.decode()


def test_pages_name_their_face_manifest_and_load_the_app_script(client):
    from krai.org.models import Role
    from krai.org.tests.factories import StaffFactory, assign

    page = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest/portal.webmanifest"' in page and "krai/app.js" in page
    assert 'data-krai-sw="/sw.js"' in page
    official = StaffFactory()
    assign(official, Role.EXECUTOR)
    client.force_login(official)
    page = client.get("/workspace/").content.decode()
    assert 'rel="manifest" href="/manifest/workspace.webmanifest"' in page
