"""What the planner's journeys in the deployed shape share (``test_journey_planner*.py``, ``test_journey_offline.py``):
the facts chosen in the installation's database, counts read there, the feed fetched through the balancer, and the
installed app's page helpers."""

from __future__ import annotations

import json
import urllib.request
from datetime import date, timedelta

import pytest

from .crawler import Crawler

#: who plans (the first department head, the health department's first, who may give orders and has deadlines of
#: orders in the planned week), the week he plans (the next one: every day of it is still ahead), the Friday a
#: phrase's "до пятницы" means, and the executor he dictates an order to — a real member of the demo's staff whose
#: surname in the dative the phrase reader takes for him alone
FACTS = r"""
import json
from datetime import datetime, time, timedelta
import pymorphy3
from django.db.models import Q
from django.utils import timezone
from krai.core.agenda import agenda_items
from krai.orders import pickers
from krai.orders.agenda import AREA
from krai.org.models import Organisation, User
from krai.planner.voice import dictation

today = timezone.localdate()
monday = today + timedelta(days=7 - today.weekday())
start = timezone.make_aware(datetime.combine(monday, time.min))
friday = today + timedelta(days=(3 - today.weekday()) % 7 + 1)
morph = pymorphy3.MorphAnalyzer()
controller = Organisation.objects.filter(is_active=True, kind="control").exists()  # the orders' controlling body

def datives(surname):
    words = []
    for parse in morph.parse(surname):
        inflected = parse.inflect({"datv"}) if "Surn" in parse.tag and "nomn" in parse.tag else None
        if inflected is not None and inflected.word.capitalize() not in words:
            words.append(inflected.word.capitalize())
    return words

def executor_for(user):
    allowed = pickers.organisations_for(user=user, purpose="lead")
    people = [person for person in pickers.people_of(allowed).exclude(pk=user.pk).filter(email__startswith="exec")[:60]
              if allowed.filter(Q(positions__holder=person) | Q(role_assignments__user=person)).exists()]
    said = [(person, word) for person in people for word in datives(person.surname)]
    # a surname that changes in the dative first (Иванову, not Бондаренко): the phrase reader's cases are at stake
    said.sort(key=lambda pair: pair[1] == pair[0].surname)
    for person, word in said[:40]:
        phrase = f"поручить {word} подготовить справку по дорогам до пятницы"
        draft = dictation.read(phrase, user=user, language_code="ru")
        if draft.executor and draft.executor.user_id == person.pk and draft.deadline == friday:
            return {"id": person.pk, "full_name": person.full_name, "surname": person.surname, "dative": word,
                    "phrase": phrase, "subject": draft.subject}
    return None

bodies = Organisation.objects.filter(is_active=True, kind=Organisation.Kind.DEPARTMENT).order_by("code")
logins = ["head.health"] + [f"head.{body.code}" for body in bodies if body.code != "health"]
found, tried = None, []
for login in logins:
    user = User.objects.filter(email=f"{login}@demo.krai", is_active=True, is_staff=True).first()
    if user is None or not all(user.has_perm(p) for p in ("planner.use", "planner.dictate", "orders.add_order")):
        tried.append(f"{login}: no such official or no right")
        continue
    items = [i for i in agenda_items(user, start, start + timedelta(days=7)) if i.area == AREA]
    executor = executor_for(user) if items and controller else None
    if executor is None:
        tried.append(f"{login}: {len(items)} deadlines in the week, executor {executor}")
        continue
    found = {"login": user.email, "id": user.pk, "full_name": user.full_name, "deadlines": [i.title for i in items],
             "executor": executor}
    break
print(json.dumps({"today": today.isoformat(), "monday": monday.isoformat(), "friday": friday.isoformat(),
                  "official": found, "tried": tried}))
"""

#: a count in the installation's database: ``{model}`` rows matching the keyword arguments read from ``{query}``
COUNT = r"""
import json
from django.apps import apps
print(apps.get_model({model!r}).objects.filter(**json.loads({query!r})).count())
"""


def facts_of(installation) -> dict:
    answer = installation.krai("shell", "-c", FACTS)
    assert answer.returncode == 0, answer.stdout[-2000:] + answer.stderr[-4000:]
    facts = json.loads(answer.stdout.strip().splitlines()[-1])
    assert facts["official"], f"no official of the demo plans a week with deadlines of orders: {facts['tried']}"
    return facts


def count(installation, model: str, **lookups) -> int:
    """How many rows of ``model`` ("app_label.Model") match ``lookups``, read through ``krai shell``."""
    answer = installation.krai("shell", "-c", COUNT.format(model=model, query=json.dumps(lookups, default=str)))
    assert answer.returncode == 0, answer.stdout[-2000:] + answer.stderr[-4000:]
    return int(answer.stdout.strip().splitlines()[-1])


def fetch(address: str) -> tuple[int, str, bytes]:
    """GET ``address`` as a calendar program does: no session, through the balancer (plain HTTP here, the TLS is
    the balancer's); status, content type and body."""
    request = urllib.request.Request(address, headers={"User-Agent": "Thunderbird/128.0"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — our own installation
        return response.status, response.headers.get("Content-Type", ""), response.read()


def day(value: str, plus: int = 0) -> date:
    return date.fromisoformat(value) + timedelta(days=plus)


def controlled(page) -> None:
    """Wait until the service worker controls the page (the first visit installs it; a reload puts it in charge)."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.ready")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


#: what the browser and htmx log offline for the requests that could not go (a lookup, the calendar's events)
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch", "htmx:sendError", "htmx:afterRequest",
                 "status of 503")


@pytest.fixture(scope="module", name="app")
def app_fixture(chromium, installation):
    """Browsers of the installed app: through the balancer, service workers on."""
    crawler = Crawler(chromium, installation, app=True)
    yield crawler
    crawler.close()


@pytest.fixture(scope="module", name="facts")
def facts_fixture(installation) -> dict:
    return facts_of(installation)
