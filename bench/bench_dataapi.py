"""The open-data API's public row reads over HTTP, against Datasette on the same rows — one command.

    .venv/bin/python bench/bench_dataapi.py [--rows 1000000] [--postgres postgres://postgres@127.0.0.1:5432/krai_x]
        [--duration 10s] [--wrk-threads 2] [--connections 16] [--rounds 2] [--workdir /tmp/krai-bench-dataapi]

What it does (issue 12, first aim: at least 1.5x Datasette's requests per second on each page measure):

1. generates ``--rows`` rows (``bench_opendata.rows``: about 10 % ``category = schools``) into
   (a) a fresh SQLite Krai installation in ``--workdir`` (``krai migrate``, then ``bench_opendata.py --publish``:
   a real published dataset, stored by the upload's own step), and with ``--postgres`` into that (migrated)
   database too; (b) a plain SQLite file ``datasette.db`` (table ``rows``, index on ``category``) for Datasette.
   Both are reused by a later run when they already hold ``--rows`` rows (``--fresh`` rebuilds them);
2. serves Krai the deployed way — ``krai collectstatic`` then ``krai serve --no-worker`` with ``KRAI_ENV=production``
   (so ``KRAI_DEBUG`` is off; a random ``KRAI_SECRET_KEY``, ``KRAI_ALLOWED_HOSTS``), requests carrying the
   balancer's ``X-Forwarded-Proto: https`` as behind the region's TLS proxy — and Datasette 0.65.5 (a
   development dependency) with ``datasette serve datasette.db --setting suggest_facets off
   --setting default_page_size 100``;
3. checks that both answer the same 100 rows with ``category = schools`` and that every total equals
   ``SELECT count(*)`` of the rows file, and that the cursor pages are the same next 100 rows;
4. drives each measure with ``wrk`` (Debian's, outside every Python process), a warm-up before each run, the
   servers interleaved, ``--rounds`` rounds; prints each server's requests per second (the rounds' mean and
   range) and Krai's ratio to Datasette measured in the same run.

The measures (the issue's, 100-row pages of ``category = schools``):

* ``page+total``  — Krai: CKAN ``datastore_search`` (it counts by default); Datasette: its table JSON (counts);
* ``page``        — Krai: the same with ``include_total=false``; Datasette: ``_nocount=1``;
* ``cursor page`` — Krai: ``/api/v1/opendata/datasets/<id>/rows/?category=schools&cursor=…`` (the 11th page);
  Datasette: ``_next=…`` of its 11th page with ``_nocount=1`` (the faster of its two ways, so the stricter
  peer);

and, as extra lines, the v1 rows API with ``total=1`` and without. The machine is shared: absolute figures are
noisy, the ratio measured side by side in the same run is the figure that counts.
"""

# ruff: noqa: S603, S310 (the bench runs its own programs and reads its own local servers)
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IDENTIFIER = "0000000000-benchrows"  # bench_opendata's --publish dataset
FORWARDED = {"X-Forwarded-Proto": "https"}
SCHOOLS = "category=schools"
CURSOR_PAGE = 11


@dataclass
class Server:
    name: str
    base: str
    process: subprocess.Popen | None = None
    urls: dict[str, str] = field(default_factory=dict)  # measure → path
    figures: dict[str, list[float]] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def krai_env(workdir: Path, database_url: str, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRAI_")}
    env.update(KRAI_ENV="production", KRAI_DEBUG="0", KRAI_SECRET_KEY=secrets.token_urlsafe(50),
               KRAI_ALLOWED_HOSTS="127.0.0.1,localhost", KRAI_DATABASE_URL=database_url,
               KRAI_VAR_DIR=str(workdir / f"var-{name}"), KRAI_STATIC_ROOT=str(workdir / "static"),
               KRAI_MAP_TILE_URL="", DJANGO_SETTINGS_MODULE="krai.settings")
    return env


def published_rows(env: dict[str, str]) -> int:
    """Rows of the bench dataset's current version in that installation (0 when absent or not migrated)."""
    code = ("import django; django.setup()\n"
            "from krai.opendata.models import DatasetVersion as V\n"
            f"v = V.objects.filter(dataset__identifier={IDENTIFIER!r}, is_current=True).first()\n"
            "print(v.row_count if v and v.datastore_table else 0)")
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0


def prepare_krai(env: dict[str, str], rows: int, fresh: bool) -> None:
    run([str(BIN / "krai"), "migrate", "--no-input", "-v", "0"], env)
    if not fresh and published_rows(env) == rows:
        print(f"  reusing the published dataset ({rows:,} rows) in {env['KRAI_DATABASE_URL']}")
        return
    print(run([sys.executable, "bench/bench_opendata.py", "--publish", "--rows", str(rows)], env).strip())


def prepare_datasette(path: Path, rows: int, fresh: bool) -> None:
    if path.exists() and not fresh:
        with sqlite3.connect(path) as db:
            try:
                if db.execute("SELECT count(*) FROM rows").fetchone()[0] == rows:
                    print(f"  reusing {path} ({rows:,} rows)")
                    return
            except sqlite3.Error:
                pass
    print(run([sys.executable, "bench/bench_opendata.py", "--datasette-db", str(path), "--rows", str(rows)],
              dict(os.environ)).strip())


def wait_up(server: Server, path: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process and server.process.poll() is not None:
            raise SystemExit(f"{server.name} stopped while starting (exit code {server.process.returncode})")
        try:
            get_json(server.base + path)
            return
        except urllib.error.HTTPError:  # it answers (a 503 of /healthz without the job worker is still an answer)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{server.name} did not answer {path} within {seconds:.0f} s")


def get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers=FORWARDED)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def collect_static(env: dict[str, str]) -> None:
    """``krai collectstatic`` when the collected files are missing or older than the code (``krai serve`` refuses
    to start then; in a shared checkout a front-end file may change between two starts)."""
    check = ("import django; django.setup()\nfrom krai.core.staticcheck import static_files_problem\n"
             "print(static_files_problem() or '')")
    if run([sys.executable, "-c", check], env).strip():
        run([str(BIN / "krai"), "collectstatic", "--no-input", "-v", "0"], env)


def start_krai(name: str, env: dict[str, str], log: Path, attempts: int = 3) -> Server:
    for attempt in range(attempts):
        collect_static(env)
        port = free_port()
        server = Server(name, f"http://127.0.0.1:{port}")
        server.process = subprocess.Popen(
            [str(BIN / "krai"), "serve", "--no-worker", "--port", str(port)], env=env, cwd=ROOT,
            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_up(server, "/healthz")
            return server
        except SystemExit:
            stop(server)
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def start_datasette(db: Path, log: Path) -> Server:
    port = free_port()
    server = Server("Datasette", f"http://127.0.0.1:{port}")
    server.process = subprocess.Popen(
        [str(BIN / "datasette"), "serve", str(db), "-p", str(port), "--setting", "suggest_facets", "off",
         "--setting", "default_page_size", "100", "--setting", "sql_time_limit_ms", "10000"],
        cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_up(server, "/-/versions.json")
    return server


def stop(server: Server) -> None:
    if server.process and server.process.poll() is None:
        os.killpg(server.process.pid, 15)
        try:
            server.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, 9)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def krai_urls(server: Server, expected_total: int, first_ids: list[int]) -> None:
    """The measured paths, each checked: 100 rows of schools, the same ids as Datasette's, the exact total."""
    filters = quote(json.dumps({"category": "schools"}))
    ckan = f"/api/3/action/datastore_search?resource_id={IDENTIFIER}&filters={filters}&limit=100"
    v1 = f"/api/v1/opendata/datasets/{IDENTIFIER}/rows/?{SCHOOLS}&limit=100"
    body = get_json(server.base + ckan)["result"]
    check(server.name, "datastore_search", body["records"], first_ids, body["total"], expected_total)
    body = get_json(server.base + ckan + "&include_total=false")["result"]
    check(server.name, "datastore_search include_total=false", body["records"], first_ids, body.get("total"), None)
    body = get_json(server.base + v1 + "&total=1")
    check(server.name, "v1 rows total=1", body["rows"], first_ids, body["total"], expected_total)
    path = v1
    for _ in range(CURSOR_PAGE - 1):
        path = path_of(get_json(server.base + path)["next"])
    server.urls = {"page+total": ckan, "page": ckan + "&include_total=false", "cursor page": path,
                   "v1 page+total": v1 + "&total=1", "v1 page": v1}


def datasette_urls(server: Server, expected_total: int) -> list[int]:
    table = "/datasette/rows.json?category=schools&_size=100&_shape=objects"
    body = get_json(server.base + table)
    ids = [r["id"] for r in body["rows"]]
    check(server.name, "table", body["rows"], ids, body["filtered_table_rows_count"], expected_total)
    body = get_json(server.base + table + "&_nocount=1")
    check(server.name, "table _nocount", body["rows"], ids, body["filtered_table_rows_count"], None)
    path = table + "&_nocount=1"
    for _ in range(CURSOR_PAGE - 1):
        path = path_of(get_json(server.base + path)["next_url"])
    server.urls = {"page+total": table, "page": table + "&_nocount=1", "cursor page": path}
    return ids


def check(name: str, what: str, rows: list[dict], ids: list[int], total, expected_total) -> None:
    problems = []
    if len(rows) != 100 or any(r["category"] != "schools" for r in rows):
        problems.append("not 100 rows of schools")
    got = [r.get("_id", r.get("id")) for r in rows]
    if got != ids:
        problems.append("rows differ from Datasette's")
    if total != expected_total:
        problems.append(f"total {total}, expected {expected_total}")
    if problems:
        raise SystemExit(f"{name} {what}: " + "; ".join(problems))


def cursor_pages_agree(krai: Server, datasette: Server) -> None:
    a = [r["_id"] for r in get_json(krai.base + krai.urls["cursor page"])["rows"]]
    b = [r["id"] for r in get_json(datasette.base + datasette.urls["cursor page"])["rows"]]
    if a != b or len(a) != 100:
        raise SystemExit(f"the cursor pages differ: {krai.name} {a[:3]}…, Datasette {b[:3]}…")


def wrk(url: str, args) -> tuple[float, int]:
    """Requests per second and non-2xx answers of one wrk run (after a short warm-up)."""
    header = ["-H", "X-Forwarded-Proto: https"]
    subprocess.run([args.wrk, "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", args.warmup,
                    *header, url], capture_output=True, check=True)
    out = subprocess.run([args.wrk, "-t", str(args.wrk_threads), "-c", str(args.connections), "-d",
                          args.duration, *header, url], capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if not rate:
        raise SystemExit(f"wrk printed no rate:\n{out}")
    return float(rate.group(1)), int(bad.group(1)) if bad else 0


def measure(servers: list[Server], args) -> None:
    for round_ in range(1, args.rounds + 1):
        for name in ("page+total", "page", "cursor page", "v1 page+total", "v1 page"):
            for server in servers:
                if name not in server.urls:
                    continue
                rate, bad = wrk(server.base + server.urls[name], args)
                if bad:
                    raise SystemExit(f"{server.name} {name}: {bad} answers were not 2xx")
                server.figures.setdefault(name, []).append(rate)
                print(f"  round {round_}  {name:14} {server.name:18} {rate:8.1f} req/s", flush=True)


def report(servers: list[Server]) -> None:
    krai, datasette, *others = servers
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    span = lambda xs: f"{mean(xs):7.1f} ({min(xs):.0f}–{max(xs):.0f})"  # noqa: E731
    head = f"| measure | {krai.name} req/s | Datasette req/s | ratio |"
    head += "".join(f" {o.name} req/s | ratio |" for o in others)
    print("\n" + head + "\n" + "|---" * (4 + 2 * len(others)) + "|")
    for name, values in krai.figures.items():
        peer = datasette.figures.get(name)
        line = f"| {name} | {span(values)} | {span(peer) if peer else '—'} | "
        line += f"{mean(values) / mean(peer):.2f}x |" if peer else "— |"
        for other in others:
            mine = other.figures.get(name)
            line += f" {span(mine)} | " + (f"{mean(mine) / mean(peer):.2f}x |" if peer else "— |")
        print(line)
    aims = [mean(krai.figures[n]) / mean(datasette.figures[n]) for n in ("page+total", "page", "cursor page")]
    print(f"\nAim (>= 1.5x Datasette on the three page measures, SQLite): {'met' if min(aims) >= 1.5 else 'NOT met'} "
          f"(lowest ratio {min(aims):.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="", help="also a Krai on this (migrated here) PostgreSQL database")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "krai-bench-dataapi"))
    parser.add_argument("--fresh", action="store_true", help="rebuild the data even when it is there")
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--warmup", default="2s")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    targets = [("Krai SQLite", f"sqlite:///{workdir / 'krai.sqlite3'}")]
    if args.postgres:
        targets.append(("Krai PostgreSQL", args.postgres))
    print(f"rows: {args.rows:,}; wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration} "
          f"(warm-up {args.warmup}); {args.rounds} rounds; workdir {workdir}")
    envs = {}
    for name, url in targets:
        envs[name] = krai_env(workdir, url, name.split()[-1].lower())
        prepare_krai(envs[name], args.rows, args.fresh)
    datasette_db = workdir / "datasette.db"
    prepare_datasette(datasette_db, args.rows, args.fresh)
    with sqlite3.connect(datasette_db) as db:
        expected = db.execute("SELECT count(*) FROM rows WHERE category = 'schools'").fetchone()[0]
    servers: list[Server] = []
    try:
        for name, _url in targets:
            servers.append(start_krai(name, envs[name], workdir / f"{name.split()[-1].lower()}.log"))
        servers.insert(1, start_datasette(datasette_db, workdir / "datasette.log"))
        ids = datasette_urls(servers[1], expected)
        for server in servers[:1] + servers[2:]:
            krai_urls(server, expected, ids)
            cursor_pages_agree(server, servers[1])
        print(f"checked: 100 rows of schools, the same ids on every server, totals = COUNT ({expected:,})")
        measure(servers, args)
    finally:
        for server in servers:
            stop(server)
    report(servers)


if __name__ == "__main__":
    main()
