"""Each endpoint of the mix alone: its SQL queries and its time in-process, one request at a time (no HTTP, no
concurrency) — the floor the load run is compared with, and where an N+1 shows itself.

Run by bench/bench_load.py in the installation's environment after the load's accounts are made:

    python bench/load/profile_pages.py OUT.json
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = 5
BACKEND = "django.contrib.auth.backends.ModelBackend"
OFFICIALS = {
    "head.health@demo.krai": ["/workspace/", "/workspace/orders/", "/workspace/orders/dashboard/",
                              "/workspace/structure/"],
    "head.housing-inspection@demo.krai": ["/workspace/problems/", "/workspace/problems/statistics/"],
    "mayor.krasnodar@demo.krai": ["/workspace/", "/workspace/problems/", "/workspace/orders/",
                                  "/workspace/orders/dashboard/"],
    "exec1.unit1.health@demo.krai": ["/workspace/orders/?list=all", "/workspace/calendar/"],
}


def client(email: str | None = None) -> Client:
    c = Client(SERVER_NAME="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if email:
        c.force_login(get_user_model().objects.get(email=email), backend=BACKEND)
    return c


def first(c: Client, path: str, pattern: str) -> str | None:
    found = re.findall(r'href="(' + pattern + r')"', c.get(path).content.decode())
    return found[0] if found else None


def measure(c: Client, path: str) -> dict:
    c.get(path)  # warm: templates, caches as a running worker has them
    times, queries, status = [], 0, 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = c.get(path)
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured.captured_queries), response.status_code
    return {"path": path, "status": status, "queries": queries, "ms_median": statistics.median(times),
            "ms_min": min(times)}


def main(out: str) -> None:
    anon = client()
    problem = anon.get("/api/v1/problems/?page_size=1").json()["results"][0]
    lat, lon = problem["lat"], problem["lon"]
    paths = ["/", "/problems/", f"/problems/{problem['id']}/", "/polls/", "/opendata/", "/priorities/ranks/",
             "/services/ranks/", "/services/", "/api/v1/problems/",
             "/problems/map.json?bbox=36.5,43.3,41.9,47.0&zoom=8",
             f"/problems/map.json?bbox={lon - .13},{lat - .08},{lon + .13},{lat + .08}&zoom=12",
             f"/problems/map.json?bbox={lon - .02},{lat - .012},{lon + .02},{lat + .012}&zoom=15",
             f"/api/v1/problems/map/?bbox={lon - .08},{lat - .05},{lon + .08},{lat + .05}&zoom=13"]
    for listing, pattern in (("/polls/", r"/polls/\d+/"), ("/opendata/", r"/opendata/\d{10,12}-[\w-]+/"),
                             ("/municipalities/", r"/municipalities/[\w-]+/"), ("/ideas/", r"/ideas/\d+/")):
        if link := first(anon, listing, pattern):
            paths.append(link)
            if listing == "/polls/":
                paths.append(link + "results/")
    rows = [{"as": "anonymous", **measure(anon, p)} for p in paths]
    resident = client("load.00001@load.krai")
    rows += [{"as": "resident", **measure(resident, p)}
             for p in ["/", "/my/", "/problems/mine/", "/problems/new/", "/priorities/", "/notifications/",
                       "/api/v1/participation/priorities/"]]
    for email, pages in OFFICIALS.items():
        official = client(email)
        rows += [{"as": email.split("@")[0], **measure(official, p)} for p in pages]
    rows.sort(key=lambda r: -r["ms_median"])
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(rows, fh, indent=1)
    print(f"{'ms':>7} {'queries':>7} {'status':>6}  page")
    for r in rows:
        print(f"{r['ms_median']:>7.1f} {r['queries']:>7} {r['status']:>6}  {r['path'][:90]} ({r['as']})")


if __name__ == "__main__":
    main(sys.argv[1])
