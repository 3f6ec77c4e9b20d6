"""The roadmap (Gantt) page of a 2,000-item project in a real browser, against frappe-gantt alone (issue 14).

    .venv/bin/python bench/bench_gantt.py [--items 2000] [--runs 5] [--seed 1] [--static-root DIR]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres]     # or KRAI_GBENCH_POSTGRES; default SQLite

Aim: the Gantt page of a 2,000-item project renders in under 2 s. What it does, in about two minutes:

1. installs Krai the deployed way in a temporary folder: ``KRAI_ENV=production`` (``KRAI_DEBUG`` off, a random
   ``KRAI_SECRET_KEY``, the balancer's ``X-Forwarded-Proto: https`` on every request), ``krai migrate`` into a
   SQLite file there (or a fresh PostgreSQL database ``krai_gbench_<pid>`` with ``--postgres``), ``krai
   collectstatic`` (the manifest storage; in parallel with the data; ``--static-root`` keeps the collected
   files for the next run and collects again only when the code is newer), then ``krai serve --no-worker``
   (gunicorn, ``KRAI_WEB_WORKERS`` 2 × 4 threads as the default);
2. generates one project of ``--items`` items and 1.5 × as many links: ``bench_projects.generate``'s bulk writes
   (85 % of the items under control, with the control engine's assignments) with a roadmap-shaped plan of its
   own (``layout``: 5 stages × 8 results, each result's tasks in 4 parallel finish-to-start chains closed by a
   control point, results staggered, cross links between the chains; about three years from 150 working days
   ago, so that part of it is done or overdue), and saves a baseline; its manager (a controller, so a second
   factor is set up at the first login, as the production-shape crawler does it) may edit the plan;
3. Debian's Chromium (headless, through Playwright) logs in with the form, then, ``--runs`` times after a
   warm-up each (a fresh tab, the browser cache warm as for a returning user), medians:

   * **roadmap** — ``/workspace/projects/p/<code>/gantt/``: from the navigation's start to the chart drawn
     (``#gantt-chart[data-ready]``) and to the next frame painted after it; with its parts (the HTML's last
     byte, the data's request, ``data-render-ms``: the script's drawing);
   * **floor** — a bare page on the same origin (answered by the browser's router, so no Krai view runs for
     it) that loads only the vendored frappe-gantt UMD and CSS from the same server, fetches the same data
     endpoint and draws the same tasks (``id``, ``name``, ``start``, ``end``, ``progress``, ``dependencies``)
     with the library's defaults at the page's scale (``view_mode: "Month"``): what frappe-gantt alone costs;
     the ratio roadmap / floor;
   * **data** — the chart endpoint alone over HTTP (urllib, the same session): time and size;
   * **plan table** — ``/workspace/projects/p/<code>/``: the navigation's start to its ``load`` event;

   the roadmap and floor visits alternate, so that a burst of load on the machine hits both alike;
4. prints the figures, the load average and whether the aim is met (judged on "painted", the stricter); stops
   the server and removes the folder (and the database) whatever happens.

The machine is shared: absolute figures move with its load; the ratio to the floor measured in the same run is
the steadier figure.
"""

# ruff: noqa: S603, S310 (the bench runs its own programs and reads its own local server)
from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("KRAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FORWARDED = {"X-Forwarded-Proto": "https"}
MANAGER = "manager@bench.krai"  # bench_projects.generate's project manager
CODE = "gantt"  # the programme; its one project is gantt-p01
AIM_MS = 2000.0
TIMEOUT_MS = int(os.environ.get("KRAI_GBENCH_TIMEOUT_MS", "60000"))
VIEWPORT = {"width": 1280, "height": 900}
STAGES, RESULTS, CHAINS = 5, 8, 4

# Recorded in every page of the browser: when #gantt-chart gets data-ready, and the frame painted after it
# (performance.now(): milliseconds from the navigation's start).
MARK = """(() => {
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.id !== "gantt-chart" || !r.target.dataset.ready || window.__gbReady) continue;
      window.__gbReady = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__gbPainted = performance.now(); }));
    }
  }).observe(document, { attributes: true, attributeFilter: ["data-ready"], subtree: true });
})();"""

FLOOR = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>frappe-gantt alone</title>
<link rel="stylesheet" href="{css}"></head><body><div id="gantt-chart"></div>
<script src="{js}"></script>
<script>
fetch("{data}", {{ credentials: "same-origin" }}).then((answer) => answer.json()).then((data) => {{
  const tasks = data.tasks.map((t) => ({{ id: t.id, name: t.name, start: t.start, end: t.end,
                                         progress: t.progress, dependencies: t.dependencies }}));
  const root = document.getElementById("gantt-chart");
  const started = performance.now();
  new Gantt(root, tasks, {{ view_mode: "Month" }});
  root.dataset.renderMs = String(Math.round(performance.now() - started));
  root.dataset.ready = "1";
}});
</script></body></html>"""


# --- the installation -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(argv: list[str], env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def postgres(server_url: str, name: str, drop_only: bool = False) -> str:
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def krai_env(workdir: Path, database_url: str, static_root: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KRAI_", "DJANGO_", "PYTEST_", "PROMETHEUS_"))}
    env.update(KRAI_ENV="production", KRAI_DEBUG="0", KRAI_SECRET_KEY=secrets.token_urlsafe(50),
               KRAI_ALLOWED_HOSTS="127.0.0.1,localhost", KRAI_CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
               KRAI_DATABASE_URL=database_url, KRAI_VAR_DIR=str(workdir / "var"), KRAI_STATIC_ROOT=str(static_root),
               KRAI_MEDIA_ROOT=str(workdir / "media"), KRAI_MAP_TILE_URL="", DJANGO_SETTINGS_MODULE="krai.settings")
    return env


def static_stale(env: dict[str, str]) -> bool:
    check = ("import django; django.setup()\nfrom krai.core.staticcheck import static_files_problem\n"
             "print(static_files_problem() or '')")
    return bool(run([sys.executable, "-c", check], env).strip())


def wait_up(process: subprocess.Popen, base: str, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"krai serve stopped (exit code {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return
        except urllib.error.HTTPError:  # /healthz answers 503 without the job worker: still an answer
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"krai serve did not answer /healthz in {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def serve(env: dict[str, str], port: int, base: str, log: Path, attempts: int = 3) -> subprocess.Popen:
    """``krai serve --no-worker``; the static files collected again first when a front-end file changed since
    (the checkout is shared: ``krai serve`` refuses to start on stale files)."""
    for attempt in range(attempts):
        if static_stale(env):
            run([str(BIN / "krai"), "collectstatic", "--no-input", "-v", "0"], env)
        with log.open("w") as out:
            server = subprocess.Popen([str(BIN / "krai"), "serve", "--no-worker", "--port", str(port)], env=env,
                                      cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_up(server, base, log)
            return server
        except SystemExit:
            stop(server)
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def layout(rng: random.Random, projects: int, items: int, links: int) -> tuple[list[list[dict]], list[tuple]]:
    """A roadmap-shaped plan for ``bench_projects.generate`` (its ``_layout``'s format): per project ``STAGES``
    stages of ``RESULTS`` results, each result's tasks in ``CHAINS`` parallel finish-to-start chains closed by
    a control point (finish-to-finish after each chain's end); the results of a stage staggered start-to-start
    (lags 10–25 working days), each stage starting 120 working days after the previous one; then forward
    finish-to-start links between the chains of a result up to ``links``. About three years, as a large
    regional project runs (``bench_projects``' own layout chains the items one after another: decades, past
    the ten years frappe-gantt draws)."""
    plans, out, seen, leaf, chains_of = [], [], set(), 0, []
    for p in range(projects):
        size = items // projects + (1 if p < items % projects else 0)
        leaves = size - STAGES - STAGES * RESULTS
        plan, stage_first = [], None
        for s in range(STAGES):
            plan.append({"level": 0, "kind": "stage"})
            result_first = None
            for r in range(RESULTS):
                plan.append({"level": 1, "kind": "result"})
                count = leaves // (STAGES * RESULTS) + (1 if s * RESULTS + r < leaves % (STAGES * RESULTS) else 0)
                tasks = list(range(leaf, leaf + count - 1))
                for n in tasks:
                    plan.append({"level": 2, "kind": "task", "leaf": n, "duration": rng.randint(3, 15)})
                point = leaf + count - 1
                plan.append({"level": 2, "kind": "control_point", "leaf": point, "duration": 0})
                leaf += count
                chains = [tasks[c::CHAINS] for c in range(CHAINS)]
                if min(len(chain) for chain in chains) >= 2:
                    chains_of.append(chains)
                for chain in chains:
                    out.extend(("FS", a, b, rng.choice((0, 0, 0, 1, 2))) for a, b in itertools.pairwise(chain))
                    out.append(("FF", chain[-1], point, 0))
                if result_first is not None:
                    out.append(("SS", result_first, tasks[0], rng.randint(10, 25)))
                elif stage_first is not None:
                    out.append(("SS", stage_first, tasks[0], 120))
                if result_first is None:
                    stage_first = tasks[0]
                result_first = tasks[0]
        plans.append(plan)
    seen.update((a, b) for _t, a, b, _l in out)
    for _ in range(links * 20 if chains_of else 0):
        if len(out) >= links:
            break
        chains = rng.choice(chains_of)
        one, other = rng.sample(range(CHAINS), 2)
        at = rng.randrange(len(chains[one]) - 1)
        pred, succ = chains[one][at], chains[other][min(len(chains[other]) - 1, at + 1)]
        if (pred, succ) not in seen:
            seen.add((pred, succ))
            out.append(("FS", pred, succ, 0))
    return plans, out


def generate_data(items: int, seed: int, password: str) -> None:
    """``--generate`` (run inside the installation's variables): the organisations, the manager, the project
    (``bench_projects.generate``'s bulk writes, with ``layout`` for its plan), a baseline."""
    import django

    django.setup()
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_projects

    from krai.org.models import Organisation, Role, RoleAssignment, ScopeKind, User
    from krai.projects import services
    from krai.projects.models import Project

    Organisation.objects.bulk_create([Organisation(code=f"o{n}", name=f"Орган {n}", path=f"{n:06d}.")
                                      for n in range(1, 41)])
    manager = User.objects.create(email=MANAGER, is_staff=True, surname="Руководитель", given_name="Проекта")
    manager.set_password(password)
    manager.save(update_fields=["password"])
    RoleAssignment.objects.create(user=manager, role=Role.CONTROLLER, scope=ScopeKind.REGION)
    bench_projects._layout = layout
    bench_projects.generate(CODE, 1, items, int(items * 1.5), seed)
    project = Project.objects.get(code=f"{CODE}-p01")
    services.baseline_save(actor=None, project=project, name="Базовый план")
    print(f"  {project.code}: {project.items.count():,} items from {project.starts_on:%d.%m.%Y}, the last due "
          f"{project.items.order_by('-planned_finish').first().planned_finish:%d.%m.%Y}")


# --- the browser ----------------------------------------------------------------------------------------
def totp_now(key: str) -> str:
    """The code an authenticator app shows now for a base32 key (as tests/production/crawler.py computes it)."""
    import base64

    from django_otp.oath import totp

    padded = key.replace(" ", "").upper()
    return f"{totp(base64.b32decode(padded + '=' * (-len(padded) % 8))):06d}"


def log_in(context, base: str, password: str) -> None:
    """The login form; a controller is led to set up a second factor at the first login (the crawler's way)."""
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", MANAGER)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if "/accounts/two-factor/" in page.url:
        with page.expect_navigation():
            page.locator("form[action$='/two-factor/start/'] button[type=submit]").click()
        field = page.locator("main form input:not([type=hidden])").first
        field.fill(totp_now(page.locator("main code").first.inner_text().strip()))
        with page.expect_navigation():
            field.press("Enter")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"{MANAGER} could not log in: {page.url}")
    page.close()


def visit_chart(context, url: str, floor_html: str | None = None) -> dict[str, float]:
    """One visit in a fresh tab: times from the navigation's start (ms) and what was drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if floor_html is not None:
            page.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                        body=floor_html))
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        try:
            page.wait_for_function("() => window.__gbPainted !== undefined", timeout=TIMEOUT_MS, polling=50)
        except PlaywrightTimeout:
            state = page.evaluate("""() => ({ url: location.href, ready: window.__gbReady,
              chart: (document.getElementById("gantt-chart") || {}).outerHTML?.slice(0, 300),
              status: document.getElementById("gantt-status")?.textContent })""")
            raise SystemExit(f"{url}: no chart in {TIMEOUT_MS / 1000:.0f} s: {state}; {errors[:3]}") from None
        figures = page.evaluate("""() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const data = performance.getEntriesByType("resource").find((r) => r.name.includes("/gantt/data/"));
          const root = document.getElementById("gantt-chart");
          return { ready: window.__gbReady, painted: window.__gbPainted, html: nav.responseEnd,
                   data_start: data ? data.startTime : NaN, data_end: data ? data.responseEnd : NaN,
                   draw: Number(root.dataset.renderMs), bars: root.querySelectorAll(".bar-wrapper").length };
        }""")
    finally:
        page.close()
    if errors:
        raise SystemExit(f"{url}: {errors[:3]}")
    return figures


def visit_page(context, url: str) -> dict[str, float]:
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        if "/accounts/login/" in page.url:
            raise SystemExit(f"{url}: sent to the login form")
        return page.evaluate("""() => { const nav = performance.getEntriesByType("navigation")[0];
          return { html: nav.responseEnd, load: nav.loadEventEnd, rows: document.querySelectorAll("tr").length }; }""")
    finally:
        page.close()


def get(url: str, cookies: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={**FORWARDED, "Cookie": cookies})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")
    return (time.perf_counter() - started) * 1000, len(body)


def series(func, runs: int) -> list:
    """``runs`` results after one warm-up."""
    func()
    return [func() for _ in range(runs)]


def median(rows: list[dict], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def measure(base: str, password: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    project = f"{CODE}-p01"
    gantt_url = f"{base}/workspace/projects/p/{project}/gantt/"
    data_url = f"{base}/workspace/projects/p/{project}/gantt/data/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="ru-RU", viewport=VIEWPORT, extra_http_headers=FORWARDED,
                                          service_workers="block")
            context.set_default_timeout(TIMEOUT_MS)
            log_in(context, base, password)
            cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies(base))
            for _ in range(4):  # every gunicorn worker past its first requests
                get(gantt_url, cookies)
                get(data_url, cookies)
            context.add_init_script(MARK)
            page = context.new_page()
            page.goto(gantt_url)
            html = page.content()
            editable = page.get_attribute("#gantt-chart", "data-editable") == "1"
            page.close()
            assets = {kind: re.search(rf'(/static/vendor/frappe-gantt/frappe-gantt[^"]*\.{kind})"', html)
                      for kind in ("js", "css")}
            if not all(assets.values()):
                raise SystemExit("the roadmap page does not load the vendored frappe-gantt")
            floor_html = FLOOR.format(js=assets["js"].group(1), css=assets["css"].group(1),
                                      data=urlsplit(data_url).path)
            floor_url = f"{base}/bench-floor/{project}/"

            roadmap, floor = [], []
            visit_chart(context, gantt_url)
            visit_chart(context, floor_url, floor_html)
            for _ in range(runs):
                roadmap.append(visit_chart(context, gantt_url))
                floor.append(visit_chart(context, floor_url, floor_html))
            data = series(lambda: get(data_url, cookies), runs)
            table = series(lambda: visit_page(context, f"{base}/workspace/projects/p/{project}/"), runs)
        finally:
            browser.close()
    report(roadmap, floor, data, table, editable, runs)


def report(roadmap: list[dict], floor: list[dict], data: list[tuple[float, int]], table: list[dict],
           editable: bool, runs: int) -> None:
    bars = roadmap[-1]["bars"]
    print(f"\nroadmap of {CODE}-p01: {bars:,} bars drawn (the floor {floor[-1]['bars']:,}); the manager may "
          f"{'edit' if editable else 'NOT edit (read-only chart)'}; medians of {runs} runs after a warm-up (ms "
          f"from the navigation's start)")
    print(f"  {'':<34}{'drawn':>9}{'painted':>9}{'html':>8}{'data from':>11}{'to':>8}{'draw':>8}")
    for label, rows in (("roadmap page", roadmap), ("floor: frappe-gantt alone", floor)):
        print(f"  {label:<34}{median(rows, 'ready'):>9.0f}{median(rows, 'painted'):>9.0f}"
              f"{median(rows, 'html'):>8.0f}{median(rows, 'data_start'):>11.0f}{median(rows, 'data_end'):>8.0f}"
              f"{median(rows, 'draw'):>8.0f}")
    drawn, painted = median(roadmap, "ready"), median(roadmap, "painted")
    each = ", ".join(f"{row['ready']:.0f}" for row in roadmap)
    print(f"  roadmap each run (drawn): {each}; "
          f"max {max(row['ready'] for row in roadmap):.0f}")
    print(f"  ratio roadmap / floor: drawn {drawn / median(floor, 'ready'):.2f}×, painted "
          f"{painted / median(floor, 'painted'):.2f}×")
    size = data[-1][1]
    print(f"  data endpoint alone (HTTP GET): {statistics.median(t for t, _ in data):.0f} ms median, "
          f"max {max(t for t, _ in data):.0f}; {size:,} bytes ({size / bars:.0f} a task)")
    print(f"  plan table page: load event {median(table, 'load'):.0f} ms median (HTML {median(table, 'html'):.0f} "
          f"ms; {table[-1]['rows']:,} table rows)")
    print(f"  load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])} ({os.cpu_count()} CPUs)")
    verdict = "meets" if painted < AIM_MS else "MISSES"
    print(f"  the 2 s aim: {verdict} (chart drawn {drawn / 1000:.2f} s, painted {painted / 1000:.2f} s)")


# --- the run --------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--static-root", type=Path, help="collected static files kept between runs")
    parser.add_argument("--postgres", default=os.environ.get("KRAI_GBENCH_POSTGRES"),
                        help="a PostgreSQL server URL: a database krai_gbench_<pid> is made there and dropped")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--password", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.items < STAGES * RESULTS * (CHAINS * 2 + 2):
        parser.error(f"--items: at least {STAGES * RESULTS * (CHAINS * 2 + 2)}")
    if args.generate:
        generate_data(args.items, args.seed, args.password)
        return
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the clean-up below runs
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="krai-gbench-"))
    db_name = f"krai_gbench_{os.getpid()}"
    server: subprocess.Popen | None = None
    collect: subprocess.Popen | None = None
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        database_url = postgres(args.postgres, db_name) if args.postgres else f"sqlite:///{workdir / 'krai.sqlite3'}"
        static_root = args.static_root.resolve() if args.static_root else workdir / "static"
        env = krai_env(workdir, database_url, static_root, port)
        password = secrets.token_urlsafe(16)
        print(f"installation: {workdir} ({'PostgreSQL ' + db_name if args.postgres else 'SQLite'}), {base}",
              flush=True)
        if not args.static_root or static_stale(env):
            collect = subprocess.Popen([str(BIN / "krai"), "collectstatic", "--no-input", "-v", "0"], env=env,
                                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       start_new_session=True)
        run([str(BIN / "krai"), "migrate", "--no-input", "-v", "0"], env)
        print(run([sys.executable, __file__, "--generate", "--items", str(args.items), "--seed", str(args.seed),
                   "--password", password], env).rstrip(), flush=True)
        if collect is not None:
            _, errors = collect.communicate(timeout=300)
            if collect.returncode:
                raise SystemExit(f"krai collectstatic failed:\n{errors[-3000:]}")
        print(f"  migrated, generated and collected in {time.perf_counter() - started:.0f} s", flush=True)
        server = serve(env, port, base, workdir / "serve.log")
        measure(base, password, args.runs)
    finally:
        stop(collect)
        stop(server)
        if args.postgres:
            with contextlib.suppress(Exception):
                postgres(args.postgres, db_name, drop_only=True)
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"done in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
