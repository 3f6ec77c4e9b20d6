"""The deployed shape: an installation built by following docs/operations.md word for word, then crawled.

The set-up block of "Installing on one server" is run as it stands, in a shell, with the production variables
exported: ``KRAI_ENV=production`` (``KRAI_DEBUG`` off), a fresh PostgreSQL database, Redis, the static files
collected into their own folder by the manifest storage, and ``krai serve`` (gunicorn and the Huey worker) on a
free port. The demo region is then loaded into it, and the tests open its pages in Debian's Chromium.

In front of ``krai serve`` stands the region's TLS-terminating balancer, as a region deploys it: ``Front``, a small
reverse proxy on 127.0.0.1 (``installation.front``) that passes every request on with ``X-Forwarded-Proto: https``.
A browser there is an installed app's browser: 127.0.0.1 is a secure context, so the service worker registers, and
its own requests (its script, the pages it keeps) come through the balancer like the pages' — the offline journeys
(``test_journey_offline.py``) and the planner's run there. Most journeys still reach ``krai serve`` directly
(``installation.url``) and say themselves that they came through TLS (the header on the browser context or the
request); their browsers block service workers, whose requests would not carry it.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import secrets
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
OPERATIONS = BASE_DIR / "docs" / "operations.md"
MARKER = "<!-- production-shape: set-up"
PG_URL = os.environ.get("KRAI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/krai")
# a database of Redis's sixteen per run, so that two runs on one machine don't empty each other's
REDIS_URL = os.environ.get("KRAI_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}")
DEMO_PASSWORD = "krai-demo-2026"


def setup_block() -> str:
    """The shell block that follows the marker in docs/operations.md, as it stands."""
    text = OPERATIONS.read_text(encoding="utf-8")
    start = text.index(MARKER)
    match = re.compile(r"```sh\n(.*?)```", re.S).search(text, start)
    assert match, "docs/operations.md: no ```sh block after the production-shape marker"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tile_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 236, 240)).save(buffer, "PNG")
    return buffer.getvalue()


class TileServer:
    """The region's own tile server, as a closed network runs it: every tile is one plain PNG."""

    def __init__(self) -> None:
        png = _tile_png()
        served: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                served.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)

            def log_message(self, *args) -> None:
                pass

        self.served = served
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


#: the headers that belong to one connection (RFC 9110 § 7.6.1), not passed on by the front
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
                        "upgrade", "proxy-authenticate", "proxy-authorization", "x-forwarded-proto",
                        "x-forwarded-for"})


class Front:
    """The region's TLS-terminating balancer in front of ``krai serve``: every request is passed on to the backend's
    port with ``X-Forwarded-Proto: https`` and ``X-Forwarded-For``, and the whole answer comes back (headers in their
    order, each Set-Cookie kept). Listens on 127.0.0.1 — a secure context for a browser's service worker."""

    def __init__(self) -> None:
        backend: dict[str, int] = {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                connection = http.client.HTTPConnection("127.0.0.1", backend["port"], timeout=300)
                try:
                    connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                    for name, value in self.headers.items():
                        if name.lower() not in HOP_BY_HOP:
                            connection.putheader(name, value)
                    connection.putheader("X-Forwarded-Proto", "https")
                    connection.putheader("X-Forwarded-For", self.client_address[0])
                    connection.endheaders(body)
                    answer = connection.getresponse()
                    data = answer.read()
                except OSError as exc:
                    self.send_error(502, f"krai serve did not answer: {exc}")
                    return
                finally:
                    connection.close()
                self.send_response_only(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = forward

            def log_message(self, *args) -> None:
                pass

        self.backend = backend
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self, backend_port: int) -> None:
        self.backend["port"] = backend_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _database(name: str) -> str:
    """A fresh PostgreSQL database for the installation; its URL."""
    import psycopg

    parts = urlsplit(PG_URL)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_database(name: str) -> None:
    import psycopg

    parts = urlsplit(PG_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _redis() -> str | None:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()
        return REDIS_URL
    except Exception:  # no Redis here: the installation runs with its embedded defaults
        return None


@dataclass
class Installation:
    url: str
    env: dict[str, str]
    tiles: TileServer
    log: Path
    origins: tuple[str, ...] = field(default=())
    #: the balancer's address (``Front``): where an installed app's browser opens the installation
    front: str = ""
    password: str = DEMO_PASSWORD
    #: the authenticator keys staff set up during the session (login → key), for their later logins
    totp_keys: dict[str, str] = field(default_factory=dict)

    def krai(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
        return subprocess.run([str(BASE_DIR / ".venv" / "bin" / "krai"), *args], cwd=BASE_DIR, env=self.env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def get(self, path: str, headers: dict[str, str] | None = None):
        request = urllib.request.Request(self.url + path, headers=headers or {})  # noqa: S310 — our own URL
        opener = urllib.request.build_opener(NoRedirect)
        try:
            return opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            return exc


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _pg_reachable() -> bool:
    try:
        import psycopg

        parts = urlsplit(PG_URL)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def installation(tmp_path_factory):
    if not _pg_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: the production-shape job needs it")
    root = tmp_path_factory.mktemp("installation")
    port = free_port()
    db_name = f"krai_production_shape_{os.getpid()}"
    tiles = TileServer()
    front = Front()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("KRAI_", "DJANGO_", "PYTEST_", "PROMETHEUS_"))}
    env.update({
        "KRAI_ENV": "production",
        "KRAI_DEBUG": "0",
        "KRAI_SECRET_KEY": secrets.token_urlsafe(50),
        "KRAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # the browser reaches the installation over plain HTTP, through the front or saying itself that it came
        # through TLS: the forms' Origin is http://
        "KRAI_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port},{front.origin}",
        "KRAI_DATABASE_URL": _database(db_name),
        "KRAI_VAR_DIR": str(root / "var"),
        "KRAI_STATIC_ROOT": str(root / "static"),
        "KRAI_MEDIA_ROOT": str(root / "media"),
        "KRAI_MAP_TILE_URL": tiles.origin + "/tiles/{z}/{x}/{y}.png",
        "KRAI_MAP_TILE_ATTRIBUTION": "Региональный сервер карт",
        "KRAI_PORT": str(port),
        "KRAI_WEB_WORKERS": "2",
        "KRAI_WORKERS": "1",
    })
    redis_url = _redis()
    if redis_url:
        env["KRAI_REDIS_URL"] = redis_url
    log = root / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(["bash", "-euo", "pipefail", "-c", setup_block()], cwd=BASE_DIR, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    front.start(port)
    installation = Installation(url=f"http://127.0.0.1:{port}", env=env, tiles=tiles, log=log,
                                origins=(f"http://127.0.0.1:{port}", front.origin, tiles.origin), front=front.origin)
    try:
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None:
                pytest.fail(f"the documented set-up stopped with {server.returncode}:\n{log.read_text()[-4000:]}")
            try:
                if installation.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"krai serve did not answer /healthz in 300 s:\n{log.read_text()[-4000:]}")
            time.sleep(1)
        demo = installation.krai("demo")
        assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-4000:]
        yield installation
    finally:
        import signal

        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        tiles.close()
        front.close()
        _drop_database(db_name)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=[*CHROMIUM_ARGS, "--disable-dev-shm-usage"])
        yield browser
        browser.close()
