"""What a deployed installation serves: its own files only, collected static files checked at start, map icons
that survive hashed names, and the map's tile server taken from the settings."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from krai.config import url_origin
from krai.core.maps import map_config
from krai.core.staticcheck import static_files_problem

ROOT = Path(settings.BASE_DIR) / "krai"
MANIFEST = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}

# a template that makes the browser load something from another host: script, style, image, frame, font
LOADS_OUTSIDE_TEMPLATE = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed|track)\b[^>]*\ssrc=["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\shref=["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.I)
# a vendored file that makes the browser load from another host: CSS url()/@import (lower case: JavaScript's
# URL("https://…") constructor only parses), a source map elsewhere
LOADS_OUTSIDE_VENDORED = re.compile(
    r"""url\(\s*["']?(?:https?:)?//|@import\s+(?:url\()?["']?(?:https?:)?//|sourceMappingURL=(?:https?:)?//""")


def _templates() -> list[Path]:
    return sorted(ROOT.glob("**/templates/**/*.html"))


def _vendored() -> list[Path]:
    vendor = ROOT / "static" / "vendor"
    files = [p for p in vendor.rglob("*") if p.suffix in {".js", ".css", ".html"}]
    import drf_spectacular_sidecar

    swagger = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
    files += [p for p in swagger.rglob("*") if p.suffix in {".js", ".css", ".html"}]
    return files


def test_the_scanners_catch_a_cdn():
    assert LOADS_OUTSIDE_TEMPLATE.search('<script src="https://cdn.jsdelivr.net/npm/x.js"></script>')
    assert LOADS_OUTSIDE_TEMPLATE.search("<link rel='stylesheet' href='//unpkg.com/x.css'>")
    assert not LOADS_OUTSIDE_TEMPLATE.search('<a href="https://data.gov.ru/">data.gov.ru</a>')
    assert LOADS_OUTSIDE_VENDORED.search("@font-face{src:url(https://fonts.gstatic.com/x.woff2)}")
    assert LOADS_OUTSIDE_VENDORED.search("//# sourceMappingURL=https://cdn.example/x.js.map")
    assert not LOADS_OUTSIDE_VENDORED.search('ns="http://www.w3.org/2000/svg"')


def test_no_template_loads_anything_from_another_host():
    assert _templates(), "no templates found"
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in _templates()
                 for m in [LOADS_OUTSIDE_TEMPLATE.search(p.read_text(encoding="utf-8"))] if m]
    assert not offenders, offenders


def test_no_vendored_file_loads_anything_from_another_host():
    files = _vendored()
    if not any("vendor" in p.parts for p in files):
        pytest.skip("front-end assets are not built (make assets)")
    offenders = [f"{p}: {m.group(0)}" for p in files
                 for m in [LOADS_OUTSIDE_VENDORED.search(p.read_text(encoding="utf-8", errors="replace"))] if m]
    assert not offenders, offenders


def test_api_docs_are_served_by_the_installation(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle" in page
    assert not LOADS_OUTSIDE_TEMPLATE.search(page)
    assert "<script>" not in page.replace(" ", "")  # the start-up script is a file: the CSP forbids inline ones
    assert client.get("/api/docs/?script=").status_code == 200


@pytest.mark.skipif(not (ROOT / "static" / "vendor" / "leaflet").exists(), reason="assets are not built")
def test_collected_static_files_are_checked_before_serving(tmp_path):
    with override_settings(STATIC_ROOT=str(tmp_path / "static"), STORAGES=MANIFEST):
        problem = static_files_problem()
        assert problem and "not collected" in problem and "krai collectstatic --no-input" in problem
        call_command("collectstatic", interactive=False, verbosity=0)  # every vendored reference resolves
        assert static_files_problem() is None
        source = ROOT / "static" / "krai" / "krai.js"
        later = time.time() + 5
        before = source.stat()
        os.utime(source, (later, later))
        try:
            problem = static_files_problem()
        finally:
            os.utime(source, (before.st_atime, before.st_mtime))
        assert problem and "older than the code" in problem and "krai.js" in problem


def test_serve_refuses_with_one_line_when_static_files_are_missing(tmp_path):
    from django.core.management.base import CommandError

    with override_settings(STATIC_ROOT=str(tmp_path / "static"), STORAGES=MANIFEST), \
            pytest.raises(CommandError, match="run `krai collectstatic --no-input` first"):
        call_command("serve", port=1)


@pytest.mark.skipif(not (ROOT / "static" / "vendor" / "leaflet").exists(), reason="assets are not built")
def test_map_icons_are_named_by_their_collected_urls(tmp_path):
    with override_settings(STATIC_ROOT=str(tmp_path / "static"), STORAGES=MANIFEST):
        call_command("collectstatic", interactive=False, verbosity=0)
        config = map_config()
    for name in ("icon-url", "icon-retina-url", "shadow-url"):
        assert re.search(r"/static/vendor/leaflet/images/marker-[\w-]+\.[0-9a-f]{12}\.png$", config[name]), config


def test_tiles_come_from_the_settings(client, settings, db):
    settings.KRAI_MAP_TILE_URL = "https://tiles.region.example/{z}/{x}/{y}.png"
    settings.KRAI_MAP_TILE_ATTRIBUTION = "Tiles &copy; the region"
    page = client.get("/municipalities/").content.decode()
    assert 'data-tile-url="https://tiles.region.example/{z}/{x}/{y}.png"' in page
    assert 'data-tile-attribution="Tiles &amp;copy; the region"' in page
    settings.KRAI_MAP_TILE_URL = ""
    assert 'data-tile-url=""' in client.get("/municipalities/").content.decode()


@pytest.mark.parametrize(("template", "origin"), [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tiles.region.ru:8443/{z}/{x}/{y}.png", "https://*.tiles.region.ru:8443"),
    ("/tiles/{z}/{x}/{y}.png", ""),
    ("", ""),
])
def test_the_tile_servers_origin_goes_into_the_content_security_policy(template, origin):
    assert url_origin(template) == origin


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


@pytest.mark.slow
def test_gunicorn_started_on_its_own_refuses_missing_static_files(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "KRAI_DEBUG": "0", "KRAI_STATIC_ROOT": str(tmp_path / "static"),
           "KRAI_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "krai.settings"}
    env.pop("PYTEST_CURRENT_TEST", None)
    done = subprocess.run([sys.executable, "-m", "gunicorn", "krai.wsgi:application", "-c", "python:krai.gunicorn_conf",
                           "--bind", "127.0.0.1:0"], env=env, capture_output=True, text=True, timeout=60,
                          cwd=settings.BASE_DIR, check=False)
    assert done.returncode != 0
    assert "run `krai collectstatic --no-input` first" in done.stderr + done.stdout
