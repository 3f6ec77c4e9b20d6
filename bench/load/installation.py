"""The deployed shape of bench/bench_load.py: the release to deploy and the installation running it.

The installation is set up exactly as docs/operations.md says (the ```sh block after ``<!-- production-shape:
set-up``, run as it stands) with the production variables, a fresh PostgreSQL database and a Redis database of its
own; ``close()`` tears it down.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]

MARKER = "<!-- production-shape: set-up"
PG_URL = os.environ.get("KRAI_LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


#: the load test's own files, laid over the release (they may not be committed yet); --overlay adds more
OWN = ["bench/bench_load.py", "bench/load", "krai/static/vendor"]  # and the built front-end assets (make assets)


def snapshot(out: Path, tree: str, overlay: list[str]) -> Path:
    """The release to deploy, in OUT/release: the last commit (``git archive HEAD``, the default) or the working
    tree as it is (``--tree worktree``), with the load test's own files and ``--overlay`` paths laid over it.
    The checkout is shared and edited while a run lasts; a deployed release does not change under its running
    workers. Its ``.venv`` is the checkout's; PYTHONPATH puts the copy's ``krai`` before the editable install."""
    src = out / "release"
    subprocess.run(["rm", "-rf", str(src)], check=True)  # noqa: S603,S607
    src.mkdir(parents=True)
    if tree == "head":
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True,  # noqa: S603,S607
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)  # noqa: S603,S607
        paths = [*OWN, *overlay]
    else:
        paths = ["."]
    for path in paths:
        subprocess.run(["rsync", "-aR", "--exclude=.git", "--exclude=.venv", "--exclude=node_modules",  # noqa: S603,S607
                        "--exclude=var", "--exclude=staticfiles", "--exclude=__pycache__", path, f"{src}/"],
                       cwd=ROOT, check=True)
    (src / ".venv").symlink_to(ROOT / ".venv")
    return src


def setup_block(src: Path = ROOT) -> str:
    text = (src / "docs" / "operations.md").read_text(encoding="utf-8")
    match = re.compile(r"```sh\n(.*?)```", re.S).search(text, text.index(MARKER))
    assert match, "docs/operations.md: no ```sh block after the production-shape marker"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database(name: str, drop_only: bool = False) -> str:
    import psycopg

    parts = urlsplit(PG_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def free_redis_db() -> str:
    """An empty database of Redis's sixteen (the production-shape tests take 1 + pid % 15 and empty it)."""
    import redis

    for n in range(15, 0, -1):
        url = f"redis://127.0.0.1:6379/{n}"
        if redis.Redis.from_url(url, socket_connect_timeout=2).dbsize() == 0:
            return url
    return f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}"


def sessions_alive(inst: Installation, accounts: Path) -> bool:
    """Whether the load's sessions are still in Redis (another process on the machine may have emptied it)."""
    data = json.loads(accounts.read_text())
    for key in [*data["residents"][-3:], *(keys[0] for keys in data["officials"].values())]:
        request = urllib.request.Request(inst.url + "/notifications/", headers={  # noqa: S310
            "X-Forwarded-Proto": "https", "Cookie": f"{data['cookie']}={key}"})
        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
                if response.status != 200:
                    return False
        except OSError:
            return False
    return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None



class Installation:
    def __init__(self, out: Path, web_workers: int, tree: str, overlay: list[str]) -> None:
        self.out, self.port = out, free_port()
        self.src = snapshot(out, tree, overlay)
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_name = f"krai_load_{os.getpid()}"
        self.redis_url = os.environ.get("KRAI_LOAD_REDIS_URL") or free_redis_db()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KRAI_", "DJANGO_", "PYTEST_", "PROMETHEUS_"))}
        env.update({
            "KRAI_ENV": "production", "KRAI_DEBUG": "0", "KRAI_SECRET_KEY": secrets.token_urlsafe(50),
            "KRAI_ALLOWED_HOSTS": "127.0.0.1,localhost", "KRAI_CSRF_TRUSTED_ORIGINS": self.url,
            "KRAI_DATABASE_URL": database(self.db_name), "KRAI_REDIS_URL": self.redis_url,
            "KRAI_VAR_DIR": str(out / "var"), "KRAI_STATIC_ROOT": str(out / "static"),
            "KRAI_MEDIA_ROOT": str(out / "media"),
            # the region's own tile server; the load test does not fetch tiles (a browser caches them)
            "KRAI_MAP_TILE_URL": "https://tiles.krai.example/{z}/{x}/{y}.png",
            "KRAI_PORT": str(self.port), "KRAI_WEB_WORKERS": str(web_workers), "KRAI_WORKERS": "1",
            "PYTHONPATH": str(self.src),
        })
        self.env = env
        redis_flush(self.redis_url)
        self.log = out / "serve.log"
        with self.log.open("w") as log:
            self.server = subprocess.Popen(  # noqa: S603 — the documented set-up block, as the production tests run it
                ["bash", "-euo", "pipefail", "-c", setup_block(self.src)], cwd=self.src, env=env,  # noqa: S607
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"the documented set-up stopped with {self.server.returncode}:\n"
                                 + self.log.read_text()[-4000:])
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise SystemExit("krai serve did not answer /healthz in 600 s:\n" + self.log.read_text()[-4000:])

    def run(self, *argv: str, timeout: int = 1800) -> str:
        done = subprocess.run([str(argv[0]), *argv[1:]], cwd=self.src, env=self.env,  # noqa: S603
                              capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def close(self) -> None:
        if self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
        database(self.db_name, drop_only=True)
        redis_flush(self.redis_url)
