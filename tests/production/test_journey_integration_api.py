"""Integration's API in the deployed shape, with a registered system's own token (issued on the pages in
``test_journey_integration.py``, which runs first and leaves its systems in ``REGISTERED``):

c) the system sends a MEDO package of three order items to ``POST /api/v1/integration/docflow/packages/`` → 201 with
   the three orders, their executors and deadlines; the same package again → 200 with the same orders and no new
   package; a broken one → 400 in the API's one error format, recorded as refused with no order; without a token
   the API answers 401.

This module also holds what both modules share: the MEDO package as a document-flow system writes it, the demo's
executors it names, the HTTP calls with a token and the test system that receives webhooks on 127.0.0.1.
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

import pytest

pytestmark = [pytest.mark.production]

NS = "urn:krai:docflow:medo:2.7"  # krai/integration/docflow/medo.py
HTTPS = {"X-Forwarded-Proto": "https"}  # as the region's TLS-terminating balancer says


@dataclass(frozen=True)
class Body:
    """A demo organisation as a package names it (krai/org/demo_data.py) and as Krai's pages print it."""

    code: str
    inn: str
    short: str


HEALTH = Body("health", "2310463556", "Минздрав края")
EDUCATION = Body("education", "2311542747", "Минобрнауки края")
LABOUR = Body("labour", "2312621938", "Минтруд края")
HEALTH_HEAD = ("Ковалёв", "А.П.", "Ковалёв Андрей Петрович")  # the minister, as a package and the order page name him


@dataclass
class Registered:
    """A system the administrator registered on the pages, per viewport; its token's key as the page showed it."""

    code: str
    name: str
    key: str
    orders: list[int] = field(default_factory=list)


#: width → the system registered by that viewport's journey a)
REGISTERED: dict[int, Registered] = {}


# --- the package ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    text: str
    deadline: date
    lead: Body
    person: tuple[str, str] | None = None
    co: tuple[Body, ...] = ()


def working_day(days: int) -> date:
    """A Wednesday ``days`` or a little more ahead, clear of the Russian public holidays (so no deadline moves)."""
    day = date.today() + timedelta(days=days)
    while day.weekday() != 2 or (day.month == 1 and day.day <= 10) or (day.month, day.day) in {
            (2, 23), (3, 8), (5, 1), (5, 8), (5, 9), (6, 12), (11, 4), (12, 31)} or (day.month == 5 and day.day < 13):
        day += timedelta(days=1)
    return day


def three_items(tag: str) -> list[Item]:
    """Three order items of the social block: the minister of health named, co-executors by code and by INN."""
    return [
        Item(f"Обеспечить проверку готовности систем отопления поликлиник края и представить сводный отчёт ({tag}).",
             working_day(30), HEALTH, person=HEALTH_HEAD[:2], co=(EDUCATION, LABOUR)),
        Item(f"Организовать ремонт кровли общеобразовательных школ, пострадавших от ливней ({tag}).",
             working_day(45), EDUCATION),
        Item(f"Подготовить предложения по графику подключения котельных социальных учреждений ({tag}).",
             working_day(60), LABOUR, co=(HEALTH,)),
    ]


def _organisation(body: Body, by_inn: bool = False) -> str:
    if by_inn:
        return f'<organization inn="{body.inn}"/>'
    return f'<organization code="{body.code}"/>'


def medo_package(uid: str, items: list[Item], *, number: str, source: str, bad_deadline: bool = False) -> bytes:
    """A document-flow system's package (the format of krai/integration/docflow/schema/medo.xsd). With
    ``bad_deadline`` the last item's deadline is a month 13: the schema refuses the whole package."""
    tasks = []
    for n, item in enumerate(items, start=1):
        person = f'<person surname="{item.person[0]}" initials="{item.person[1]}"/>' if item.person else ""
        co = "".join(f"<executor>{_organisation(body, by_inn=k % 2 == 1)}</executor>"
                     for k, body in enumerate(item.co))
        deadline = "2031-13-45" if bad_deadline and n == len(items) else item.deadline.isoformat()
        tasks.append(f"""
    <task>
      <number>{n}</number>
      <text>{escape(item.text)}</text>
      <deadline>{deadline}</deadline>
      <executor>{_organisation(item.lead)}{person}</executor>{f"<coexecutors>{co}</coexecutors>" if co else ""}
    </task>""")
    today = date.today().isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<communication xmlns="{NS}" version="2.7">
  <header type="document" uid="{escape(uid)}" created="{today}T09:30:00+03:00">
    <source><organization code="{escape(source)}">Аппарат заместителя Губернатора</organization></source>
  </header>
  <document>
    <kind>letter</kind>
    <num><number>{escape(number)}</number><date>{today}</date></num>
    <annotation>О подготовке учреждений социальной сферы к отопительному сезону</annotation>
    <signatory surname="Лопатина" initials="Е.В." post="Заместитель Губернатора Краснодарского края"/>
  </document>
  <tasks>{"".join(tasks)}
  </tasks>
</communication>
""".encode()


# --- HTTP with a token ---------------------------------------------------------------------------------------


def call(installation, method: str, path: str, *, token: str | None = None, body: bytes | None = None,
         content_type: str = "application/xml") -> tuple[int, Any]:
    """(status, the JSON answer) of one API request, as a system sends it."""
    headers = {**HTTPS, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(installation.url + path, data=body, method=method,  # noqa: S310 — our URL
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw[:500]


# --- the system that receives webhooks -------------------------------------------------------------------------


class Receiver:
    """A system's webhook endpoint on 127.0.0.1: keeps every request's headers and body (checked by the test with
    the secret the endpoint's page shows) and answers 204."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver.lock:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/krai/webhooks"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def verified(self, secret: str) -> list[tuple[str, dict]]:
        """(webhook-id, message) of every request whose Standard Webhooks signature ``secret`` verifies."""
        from standardwebhooks.webhooks import Webhook, WebhookVerificationError

        with self.lock:
            got = list(self.requests)
        found = []
        for headers, body in got:
            try:
                found.append((headers["webhook-id"], Webhook(secret).verify(body, headers)))
            except (WebhookVerificationError, KeyError):
                continue
        return found

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- c) the API ----------------------------------------------------------------------------------------------


def test_c_a_system_sends_packages_through_the_api(installation):
    system = REGISTERED.get(1280) or REGISTERED.get(390)
    if system is None:
        pytest.skip("no system registered: run with test_journey_integration.py (its journey a issues the token)")
    tag = f"A{secrets.token_hex(3)}"
    uid = f"{system.code}-api-{tag}"
    items = three_items(tag)
    package = medo_package(uid, items, number=f"01-14/{tag}", source=system.code)
    path = "/api/v1/integration/docflow/packages/"

    status, body = call(installation, "POST", path, token=system.key, body=package)
    assert status == 201, body
    assert body["uid"] == uid and body["status"] == "accepted" and body["system"] == system.code, body
    orders = body["orders"]
    assert [o["item"] for o in orders] == ["1", "2", "3"], orders
    assert [o["executor"] for o in orders] == [item.lead.short for item in items], orders
    assert [o["deadline"] for o in orders] == [item.deadline.isoformat() for item in items], orders
    assert {o["status"] for o in orders} == {"issued"}, orders

    # the same package again: the first result, nothing new
    status, again = call(installation, "POST", path, token=system.key, body=package)
    assert status == 200, again
    assert again["id"] == body["id"] and [o["order_id"] for o in again["orders"]] == [o["order_id"] for o in orders]
    status, listed = call(installation, "GET", f"{path}?uid={uid}", token=system.key)
    assert status == 200 and listed["count"] == 1, listed

    # a broken one: refused whole, in the one error format
    broken_uid = f"{uid}-broken"
    status, refused = call(installation, "POST", path, token=system.key,
                           body=medo_package(broken_uid, items, number=f"01-14/{tag}-б", source=system.code,
                                             bad_deadline=True))
    assert status == 400, refused
    error = refused["error"]
    assert error["status"] == 400 and error["code"] == "package_refused" and error["message"], error
    assert any("2031-13-45" in problem and "deadline" in problem for problem in error["fields"]["package"]), error
    status, listed = call(installation, "GET", f"{path}?uid={broken_uid}", token=system.key)
    assert status == 200 and listed["count"] == 1, listed
    assert listed["results"][0]["status"] == "refused" and listed["results"][0]["orders"] == [], listed

    # no token, no answer
    status, anonymous = call(installation, "POST", path, body=package)
    assert status == 401, anonymous
    assert anonymous["error"]["status"] == 401, anonymous
