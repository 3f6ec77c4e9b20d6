"""Krai under load: the scenario mix of issue 12 (run by bench/bench_load.py; see docs/performance.md).

Three kinds of people, by weight (of 200 users: 120 / 60 / 20):

- ``Reader`` (6): anonymous — the home page, the problem map (its page, then the map's JSON as Leaflet asks for
  it when the map opens and is panned or zoomed, region → city → street), a problem's page, polls and their
  results, open data (the list and a dataset), ranks, municipalities, the public API's problem list;
- ``Resident`` (3): signed in as one of the load's residents (one account per simulated person: a person
  reports at most 5 problems an hour and votes once per poll) — his pages, the map, the report form, reporting a
  problem (at most 2 per person and run), voting in open polls and for priorities (each once), through the API;
- ``Official`` (1): signed in as an official without a second factor (head.health, head.housing-inspection,
  mayor.krasnodar, exec1.unit1.health) — the workspace, the problem queue and a problem in it, orders and
  the orders dashboard.

Think time: ``between(1, 5)`` seconds after each task (a person reading a page, not a robot).

Every request is named ``<kind> <path pattern>``: ``page`` (HTML), ``map`` (the map's JSON, both
/problems/map.json that the page's map loads and /api/v1/problems/map/), ``api`` (other JSON reads) and
``write`` (POSTs); the percentiles per kind are written to KRAI_LOAD_KINDS (JSON) at the end of the run. Each
simulated person speaks from an address of his own (127.10.x.y): the installation's per-address limits see a
city, not one robot. The installation is reached as its TLS-terminating balancer would (X-Forwarded-Proto).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import string
from collections import defaultdict
from urllib.parse import urlsplit

import requests
from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

ACCOUNTS = json.load(open(os.environ["KRAI_LOAD_ACCOUNTS"], encoding="utf-8"))  # noqa: SIM115
#: residents used by the earlier runs of the series: a fresh person for every simulated one
_residents = itertools.count(int(os.environ.get("KRAI_LOAD_OFFSET", "0")))
_officials = itertools.count()
_addresses = itertools.count(1)
REGION_BBOX = (36.5, 43.3, 41.9, 47.0)  # Krasnodar Krai, as the map first shows it
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "ru"}
SITE: dict = {}  # what the run found on the site at its start (ids, links)
KINDS: dict[str, list[int]] = defaultdict(list)
FAILS: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

OFFICIAL_PAGES = {
    "head.health@demo.krai": ["/workspace/", "/workspace/orders/", "/workspace/orders/dashboard/",
                              "/workspace/structure/"],
    "head.housing-inspection@demo.krai": ["/workspace/", "/workspace/problems/", "/workspace/problems/?page=2",
                                          "/workspace/problems/statistics/"],
    "mayor.krasnodar@demo.krai": ["/workspace/", "/workspace/problems/", "/workspace/orders/",
                                  "/workspace/orders/dashboard/"],
    "exec1.unit1.health@demo.krai": ["/workspace/", "/workspace/orders/?list=all", "/workspace/calendar/"],
}


class SourceAddress(HTTPAdapter):
    """Connections from one loopback address of this person's own."""

    def __init__(self, address: str, **kwargs) -> None:
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(r'href="(' + pattern + r')"', html)))


@events.test_start.add_listener
def discover(environment, **kwargs) -> None:
    """Ids and links of the demo region, found as a visitor finds them (once per run)."""
    host = environment.host
    session = requests.Session()
    session.headers.update(HEADERS)

    def get(path: str):
        response = session.get(host + path, timeout=60)
        response.raise_for_status()
        return response

    problems = get("/api/v1/problems/?page_size=200").json()["results"]
    SITE["problems"] = [(p["id"], p["lat"], p["lon"]) for p in problems]
    SITE["categories"] = [c["code"] for c in get("/api/v1/problems/categories/").json()]
    polls = get("/api/v1/participation/polls/?page_size=100").json()["results"]
    SITE["polls"] = [p["id"] for p in polls]
    SITE["open_polls"] = [p["id"] for p in polls if p["state"] == "open"]
    SITE["results"] = [p["id"] for p in polls if p["state"] == "closed" or p["results_during"]]
    SITE["datasets"] = _links(get("/opendata/").text, r"/opendata/\d{10,12}-[\w-]+/")
    SITE["services"] = _links(get("/services/").text, r"/services/\d+/")
    SITE["municipalities"] = _links(get("/municipalities/").text, r"/municipalities/[\w-]+/")
    SITE["ideas"] = _links(get("/ideas/").text, r"/ideas/(?:campaigns/)?\d+/")
    print("site:", {key: len(value) for key, value in SITE.items()})


@events.request.add_listener
def by_kind(request_type, name, response_time, response_length, response=None, exception=None, **kwargs) -> None:
    kind = name.split(" ", 1)[0]
    KINDS[kind].append(int(response_time))
    if exception is not None:
        error = getattr(response, "error", None)
        status = getattr(response, "status_code", 0) or type(error or exception).__name__
        FAILS[kind][str(status)] += 1


@events.reset_stats.add_listener
def reset_kinds(**kwargs) -> None:
    KINDS.clear()
    FAILS.clear()


def _percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(q * len(ordered)))]) if ordered else 0.0


@events.quitting.add_listener
def write_kinds(environment, **kwargs) -> None:
    out = os.environ.get("KRAI_LOAD_KINDS")
    if not out:
        return
    stats = environment.stats.total
    duration = max(stats.last_request_timestamp - stats.start_time, 1e-9) if stats.last_request_timestamp else 0
    data = {"duration_s": duration, "kinds": {
        kind: {"requests": len(times), "p50": _percentile(times, 0.50), "p95": _percentile(times, 0.95),
               "p99": _percentile(times, 0.99), "max": max(times), "errors": sum(FAILS[kind].values()),
               "error_codes": dict(FAILS[kind])}
        for kind, times in KINDS.items() if times}}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)


def _why(response) -> str:
    """The status and the start of the answer; for no answer at all, the exception (reset, timeout …)."""
    if not response.status_code:
        error = getattr(response, "error", None)
        return f"no answer: {type(error).__name__}: {str(error)[:160]}"
    return f"{response.status_code} {response.text[:160]}"


class KraiUser(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    session_key: str | None = None

    def on_start(self) -> None:
        n = next(_addresses)
        self.client.mount("http://", SourceAddress(f"127.10.{n // 250}.{n % 250 + 1}"))
        self.client.headers.update(HEADERS)
        host = urlsplit(self.host).hostname
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.client.cookies.set(ACCOUNTS["csrf_cookie"], self.csrf, domain=host, path="/")
        if self.session_key:
            self.client.cookies.set(ACCOUNTS["cookie"], self.session_key, domain=host, path="/")
        self.origin = "https://" + urlsplit(self.host).netloc

    def unsecure(self) -> None:
        """The installation's cookies are Secure (it sits behind TLS); requests would keep them off this plain
        hop (it copies them into a jar of the default policy for each request), so they lose the flag here."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, kind: str, path: str, name: str | None = None):
        self.unsecure()
        with self.client.get(path, name=f"{kind} {name or path}", allow_redirects=False, catch_response=True,
                             timeout=60) as response:
            if response.status_code != 200:
                response.failure(_why(response))
            return response

    def post_json(self, path: str, name: str, body: dict | None, ok: tuple[int, ...] = (200, 201)):
        self.unsecure()
        # the token as the jar holds it now (the installation may have sent the cookie again)
        self.csrf = next((c.value for c in self.client.cookies if c.name == ACCOUNTS["csrf_cookie"]), self.csrf)
        with self.client.post(path, name=f"write {name}", json=body, allow_redirects=False, catch_response=True,
                              timeout=60, headers={"X-CSRFToken": self.csrf, "Origin": self.origin}) as response:
            if response.status_code not in ok:
                response.failure(_why(response))
            return response

    # --- what everybody reads -------------------------------------------------------------------------
    def open_map(self) -> None:
        """The map page, then its JSON as Leaflet asks: the region first, then closer to a place."""
        self.get("page", "/problems/")
        self.map_json(REGION_BBOX, 8)
        _pk, lat, lon = random.choice(SITE["problems"])
        for zoom, half in ((12, 0.08), (15, 0.012)):
            self.map_json((lon - half * 1.6, lat - half, lon + half * 1.6, lat + half), zoom)

    def map_json(self, bbox: tuple[float, ...], zoom: int, api: bool = False) -> None:
        query = f"?bbox={','.join(f'{v:.5f}' for v in bbox)}&zoom={zoom}"
        if api:
            self.get("map", "/api/v1/problems/map/" + query, f"/api/v1/problems/map/ z{zoom}")
        else:
            self.get("map", "/problems/map.json" + query, f"/problems/map.json z{zoom}")

    def problem_page(self) -> None:
        pk, _lat, _lon = random.choice(SITE["problems"])
        self.get("page", f"/problems/{pk}/", "/problems/<id>/")

    def poll_pages(self) -> None:
        self.get("page", "/polls/")
        pk = random.choice(SITE["polls"])
        self.get("page", f"/polls/{pk}/", "/polls/<id>/")
        if SITE["results"] and random.random() < 0.5:
            pk = random.choice(SITE["results"])
            self.get("page", f"/polls/{pk}/results/", "/polls/<id>/results/")


class Reader(KraiUser):
    weight = 6

    @task(3)
    def home(self) -> None:
        self.get("page", "/")

    @task(4)
    def problem_map(self) -> None:
        self.open_map()

    @task(2)
    def pan_map(self) -> None:
        _pk, lat, lon = random.choice(SITE["problems"])
        zoom, half = random.choice(((10, 0.3), (13, 0.05), (16, 0.006)))
        self.map_json((lon - half * 1.6, lat - half, lon + half * 1.6, lat + half), zoom,
                      api=random.random() < 0.5)

    @task(3)
    def problem(self) -> None:
        self.problem_page()

    @task(2)
    def polls(self) -> None:
        self.poll_pages()

    @task(2)
    def opendata(self) -> None:
        self.get("page", "/opendata/")
        if SITE["datasets"]:
            self.get("page", random.choice(SITE["datasets"]), "/opendata/<dataset>/")

    @task(1)
    def ranks(self) -> None:
        self.get("page", random.choice(["/priorities/ranks/", "/services/ranks/", "/services/"]))

    @task(1)
    def places(self) -> None:
        if SITE["municipalities"]:
            self.get("page", random.choice(SITE["municipalities"]), "/municipalities/<code>/")
        if SITE["ideas"] and random.random() < 0.5:
            self.get("page", random.choice(SITE["ideas"]), "/ideas/<id>/")

    @task(1)
    def api_list(self) -> None:
        self.get("api", f"/api/v1/problems/?page={random.randint(1, 3)}", "/api/v1/problems/")


class Resident(KraiUser):
    weight = 3

    def on_start(self) -> None:
        pool = ACCOUNTS["residents"]
        n = next(_residents)
        if n >= len(pool):
            print(f"WARNING: {n + 1} residents wanted, {len(pool)} made: a person is simulated twice")
        self.session_key = pool[n % len(pool)]
        self.reports = 0
        self.voted: set[int] = set()
        super().on_start()

    @task(2)
    def my_pages(self) -> None:
        self.get("page", random.choice(["/", "/my/", "/problems/mine/", "/notifications/"]))

    @task(3)
    def problem_map(self) -> None:
        self.open_map()

    @task(2)
    def problem(self) -> None:
        self.problem_page()

    @task(2)
    def report(self) -> None:
        """The report form, then a report sent through the API (two per person at most: the limit is 5/h)."""
        self.get("page", "/problems/new/")
        if self.reports >= 2:
            return
        _pk, lat, lon = random.choice(SITE["problems"])
        body = {"category": random.choice(SITE["categories"]), "lat": lat + random.uniform(-0.002, 0.002),
                "lon": lon + random.uniform(-0.002, 0.002),
                "description": "Нагрузочный тест: яма на дороге у дома, глубиной около 10 см, мешает проезду."}
        if self.post_json("/api/v1/problems/", "/api/v1/problems/", body, ok=(201,)).status_code == 201:
            self.reports += 1

    @task(2)
    def vote_poll(self) -> None:
        choices = [pk for pk in SITE["open_polls"] if pk not in self.voted]
        if not choices:
            return self.poll_pages()
        pk = random.choice(choices)
        self.voted.add(pk)
        self.get("page", f"/polls/{pk}/", "/polls/<id>/")
        detail = self.get("api", f"/api/v1/participation/polls/{pk}/", "/api/v1/participation/polls/<id>/")
        if detail.status_code != 200 or not detail.json()["me"]["can_vote"]:
            return None
        answers = {str(q["id"]): _answer(q) for q in detail.json()["questions"]}
        self.post_json(f"/api/v1/participation/polls/{pk}/vote/", "/api/v1/participation/polls/<id>/vote/",
                       {"answers": answers})
        return None

    @task(1)
    def vote_priority(self) -> None:
        self.get("page", "/priorities/")
        mine = self.get("api", "/api/v1/participation/priorities/")
        if mine.status_code != 200:
            return
        data = mine.json()
        free = [p["id"] for p in data["priorities"] if not p["voted"] and p["is_active"]]
        if data["votes_left"] and free:
            pk = random.choice(free)
            self.post_json(f"/api/v1/participation/priorities/{pk}/vote/",
                           "/api/v1/participation/priorities/<id>/vote/", None)


def _answer(question: dict):
    options = [o["id"] for o in question["options"]]
    kind = question["kind"]
    if kind == "single":
        return random.choice(options)
    if kind == "multiple":
        return random.sample(options, random.randint(1, min(len(options), question["max_choices"] or 2)))
    if kind == "ranked":
        return random.sample(options, len(options))
    if kind == "scale":
        return random.randint(question["scale_min"], question["scale_max"])
    return "Больше освещения во дворах."


class Official(KraiUser):
    weight = 1

    def on_start(self) -> None:
        logins = sorted(ACCOUNTS["officials"])
        n = next(_officials)
        self.login = logins[n % len(logins)]
        sessions = ACCOUNTS["officials"][self.login]
        self.session_key = sessions[(n // len(logins)) % len(sessions)]
        super().on_start()

    @task(5)
    def workspace(self) -> None:
        path = random.choice(OFFICIAL_PAGES[self.login])
        self.get("page", path, f"{path} ({self.login.split('@')[0]})")

    @task(2)
    def queue_item(self) -> None:
        if "/workspace/problems/" not in OFFICIAL_PAGES[self.login]:
            return self.workspace()
        page = self.get("page", "/workspace/problems/", f"/workspace/problems/ ({self.login.split('@')[0]})")
        items = _links(page.text, r"/workspace/problems/\d+/") if page.status_code == 200 else []
        if items:
            self.get("page", random.choice(items), "/workspace/problems/<id>/")
        return None
