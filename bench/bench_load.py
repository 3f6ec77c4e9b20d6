"""Krai under load: the deployed shape on 127.0.0.1, driven by locust (issue 12, "under load").

    .venv/bin/python bench/bench_load.py                       # 200 users × 5 min, then the step series
    .venv/bin/python bench/bench_load.py --duration 1m --steps 25,50 --step-seconds 30   # a quick look

1. the deployed shape exactly as docs/operations.md says: the ```sh block after ``<!-- production-shape: set-up``
   run as it stands (check --deploy, migrate, compilemessages, collectstatic, ``krai serve``) with the production
   variables, like tests/production/conftest.py: KRAI_ENV=production, a fresh PostgreSQL database
   ``krai_load_<pid>``, a Redis database of its own, the static files collected, KRAI_WEB_WORKERS gunicorn workers
   (default 4 × 4 threads, see --web-workers) and the Huey consumer;
2. ``krai demo``, then bench/load/setup_load.py: the load's residents and signed-in sessions; then
   bench/load/profile_pages.py: each endpoint of the mix alone, in-process (its SQL queries, its time);
3. locust headless, one process (bench/load/locustfile.py, think time 1–5 s): ``--users`` for ``--duration``, then
   the step series, each step a run of its own (``--reset-stats``: measured after all its users are in);
4. prints p50/p95/p99 and errors per kind (page, map JSON, API, write) against the aims (pages p95 < 300 ms, map
   JSON p95 < 100 ms, no error), the slowest endpoints, and the floor: /healthz polled twice a second during the
   run through the same gunicorn (what any request waits for in the queue, before Krai's own work);
5. writes the curve to docs/performance-load.svg and the figures to OUT/results.json; tears everything down.

The release and the installation (1.) are bench/load/installation.py's; the curve's drawing is bench/load/chart.py's.

The machine is shared (2 cores, locust included): absolute figures are pessimistic; the load average and the CPU
locust itself used are printed with them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load.chart import svg  # noqa: E402
from bench.load.installation import Installation, sessions_alive  # noqa: E402

VENV = ROOT / ".venv" / "bin"
AIMS = {"page": 300.0, "map": 100.0}
KINDS = ("page", "map", "api", "write")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


class Floor(threading.Thread):
    """/healthz twice a second from an address of its own: the stack's queueing without Krai's work."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.times, self.errors, self.stop = url, [], 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=30) as response:  # noqa: S310
                    response.read()
                self.times.append((time.perf_counter() - started) * 1000)
            except OSError:
                self.errors += 1


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0



def locust(inst: Installation, name: str, users: int, spawn: int, duration: str, accounts: Path, offset: int,
           reset: bool) -> dict:
    """One headless locust run (one process); its figures per kind, the floor's, and the CPU it took."""
    prefix = inst.out / name
    env = {**os.environ, "KRAI_LOAD_ACCOUNTS": str(accounts), "KRAI_LOAD_OFFSET": str(offset),
           "KRAI_LOAD_KINDS": f"{prefix}_kinds.json"}
    argv = [str(VENV / "locust"), "-f", str(inst.src / "bench" / "load" / "locustfile.py"), "--headless",
            "-u", str(users), "-r", str(spawn), "-t", duration, "--csv", str(prefix), "--host", inst.url,
            "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"]
    if reset:
        argv.append("--reset-stats")
    floor = Floor(inst.url)
    busy0, total0 = cpu_times()
    with (inst.out / f"{name}.log").open("w") as log:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        floor.start()
        _pid, status, usage = os.wait4(process.pid, 0)
    floor.stop.set()
    busy1, total1 = cpu_times()
    kinds = json.loads(Path(f"{prefix}_kinds.json").read_text())
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
    total = next(r for r in rows if r["Name"] == "Aggregated")
    endpoints = sorted(({"name": r["Name"], "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                         "p50": _ms(r["50%"]), "p95": _ms(r["95%"]), "p99": _ms(r["99%"])}
                        for r in rows if r["Name"] != "Aggregated"), key=lambda r: -r["p95"])
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8")))  # noqa: SIM115
    return {"name": name, "users": users, "exit": os.waitstatus_to_exitcode(status),
            "duration_s": kinds["duration_s"], "rps": float(total["Requests/s"]),
            "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "kinds": kinds["kinds"], "endpoints": endpoints,
            "failure_lines": [{"name": f["Name"], "error": f["Error"][:200], "count": int(f["Occurrences"])}
                              for f in failures],
            "floor": {"p50": pct(floor.times, 0.5), "p95": pct(floor.times, 0.95), "n": len(floor.times),
                      "errors": floor.errors},
            "locust_cpu_s": usage.ru_utime + usage.ru_stime,
            "machine_busy": (busy1 - busy0) / max(total1 - total0, 1)}


def _ms(value: str) -> float:
    return 0.0 if value == "N/A" else float(value)  # an endpoint with no request since the reset


def print_run(run: dict) -> None:
    wall = run["duration_s"] or 1
    print(f"\n== {run['name']}: {run['users']} users, {run['requests']} requests in {wall:.0f} s "
          f"({run['rps']:.1f}/s), {run['failures']} failed; locust used {run['locust_cpu_s']:.0f} CPU-s "
          f"({100 * run['locust_cpu_s'] / wall:.0f} % of a core); machine busy {100 * run['machine_busy']:.0f} %")
    print(f"{'kind':<6} {'requests':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'errors':>6}  aim")
    for kind in KINDS:
        k = run["kinds"].get(kind)
        if not k:
            continue
        aim = AIMS.get(kind)
        verdict = ""
        if aim:
            verdict = f"p95 < {aim:g} ms: {'yes' if k['p95'] < aim else 'NO'}"
        verdict += f"{'; ' if verdict else ''}errors 0: {'yes' if not k['errors'] else 'NO ' + str(k['error_codes'])}"
        print(f"{kind:<6} {k['requests']:>8} {k['p50']:>7.0f} {k['p95']:>7.0f} {k['p99']:>7.0f} {k['max']:>7.0f} "
              f"{k['errors']:>6}  {verdict}")
    fl = run["floor"]
    page = run["kinds"].get("page", {}).get("p95", 0)
    print(f"floor  /healthz p50 {fl['p50']:.0f} ms, p95 {fl['p95']:.0f} ms ({fl['n']} probes, {fl['errors']} errors);"
          f" pages p95 / floor p95 = {page / max(fl['p95'], 0.1):.1f}×")


def bend(steps: list[dict]) -> str:
    """Where the pages' p95 leaves its low-load level: the first step at twice the first step's, or past the aim."""
    if not steps:
        return ""
    base = max(steps[0]["kinds"]["page"]["p95"], 1)
    for step in steps[1:]:
        p95 = step["kinds"]["page"]["p95"]
        if p95 >= 2 * base or p95 >= AIMS["page"]:
            return (f"pages' p95 bends at {step['users']} users: {p95:.0f} ms against {base:.0f} ms at "
                    f"{steps[0]['users']} users (throughput {step['rps']:.0f}/s)")
    return f"no bend up to {steps[-1]['users']} users (pages' p95 stays within 2× of {base:.0f} ms)"


def plot(results: dict, series: list[dict], args: argparse.Namespace) -> None:
    Path(args.chart).write_text(svg(
        series, f"Krai under load: {results['web_workers']} gunicorn workers × 4 threads, 2 shared cores",
        f"each step {args.step_seconds} s after ramp-up; think time 1–5 s; load average before "
        f"{results['uptime_before'].split('load average:')[-1].strip()} (the machine shared with other jobs)"),
        encoding="utf-8")
    print(f"chart: {args.chart}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--duration", default="5m")
    parser.add_argument("--steps", default="25,50,100,150,200,300")
    parser.add_argument("--step-seconds", type=int, default=60)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--out", default=f"/tmp/load/run-{os.getpid()}")  # noqa: S108 — the brief's scratch place
    parser.add_argument("--chart", default=str(ROOT / "docs" / "performance-load.svg"))
    parser.add_argument("--no-main", action="store_true", help="only the step series")
    parser.add_argument("--tree", choices=["head", "worktree"], default="head",
                        help="deploy the last commit (with the load test's files) or the working tree as it is")
    parser.add_argument("--overlay", action="append", default=[], help="a path of the working tree laid over HEAD")
    parser.add_argument("--no-profile", action="store_true", help="skip each endpoint alone (queries, time)")
    parser.add_argument("--replot", metavar="RESULTS_JSON", help="only draw the chart of an earlier run's figures")
    args = parser.parse_args()
    if args.replot:
        results = json.loads(Path(args.replot).read_text())
        plot(results, [r for r in results["runs"] if r["name"].startswith("step-")], args)
        return
    steps = [int(s) for s in args.steps.split(",") if s]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results: dict = {"uptime_before": uptime(), "web_workers": args.web_workers, "runs": []}
    print("before:", results["uptime_before"])
    started = time.monotonic()
    inst = Installation(out, args.web_workers, args.tree, args.overlay)
    try:
        inst.wait_ready()
        print(f"deployed shape up at {inst.url} in {time.monotonic() - started:.0f} s ({args.web_workers} web "
              f"workers × 4 threads, Huey, PostgreSQL {inst.db_name}, Redis {inst.redis_url})")
        print(inst.run(str(VENV / "krai"), "demo").strip().splitlines()[-1])
        residents = (0 if args.no_main else args.users) + sum(steps) + 50
        accounts = out / "accounts.json"

        def make_accounts() -> None:
            print(inst.run(str(VENV / "python"), str(inst.src / "bench" / "load" / "setup_load.py"), str(accounts),
                           str(residents)).strip())

        make_accounts()
        if not args.no_profile:
            print(inst.run(str(VENV / "python"), str(inst.src / "bench" / "load" / "profile_pages.py"),
                           str(out / "profile.json")).rstrip())
            results["profile"] = json.loads((out / "profile.json").read_text())
        offset = 0
        if not args.no_main:
            run = locust(inst, "main", args.users, args.spawn_rate, args.duration, accounts, offset, reset=False)
            offset += args.users
            results["runs"].append(run)
            print_run(run)
        for users in steps:
            if not sessions_alive(inst, accounts):
                print(f"the load's sessions are gone from {inst.redis_url} (emptied by another process): made again")
                results.setdefault("sessions_remade_before", []).append(users)
                make_accounts()
            ramp = -(-users // args.spawn_rate)
            run = locust(inst, f"step-{users}", users, args.spawn_rate, f"{ramp + args.step_seconds}s", accounts,
                         offset, reset=True)
            offset += users
            results["runs"].append(run)
            print_run(run)
    finally:
        inst.close()
        results["uptime_after"] = uptime()
        print("after:", results["uptime_after"])
        (out / "results.json").write_text(json.dumps(results, indent=1))
    series = [r for r in results["runs"] if r["name"].startswith("step-")]
    if series:
        results["bend"] = bend(series)
        print("\n" + results["bend"])
        print(f"\n{'users':>5} {'req/s':>6} {'page p50':>8} {'page p95':>8} {'page p99':>8} {'map p95':>7} "
              f"{'api p95':>7} {'write p95':>9} {'errors':>6} {'floor p95':>9}")
        for r in series:
            k = r["kinds"]
            print(f"{r['users']:>5} {r['rps']:>6.1f} {k['page']['p50']:>8.0f} {k['page']['p95']:>8.0f} "
                  f"{k['page']['p99']:>8.0f} {k.get('map', {}).get('p95', 0):>7.0f} "
                  f"{k.get('api', {}).get('p95', 0):>7.0f} {k.get('write', {}).get('p95', 0):>9.0f} "
                  f"{r['failures']:>6} {r['floor']['p95']:>9.0f}")
        plot(results, series, args)
        (out / "results.json").write_text(json.dumps(results, indent=1))
    for run in results["runs"]:
        print(f"\nslowest endpoints of {run['name']} (p95 ms): "
              + "; ".join(f"{e['name']} {e['p95']:.0f}" for e in run["endpoints"][:6]))
        if run["failure_lines"]:
            print("failures: " + "; ".join(f"{f['count']}× {f['name']}: {f['error']}" for f in run["failure_lines"]))


if __name__ == "__main__":
    main()
