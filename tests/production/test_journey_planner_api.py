"""The planner's API in the deployed shape, through the balancer, with the official's personal tokens as a program
would hold them (the official of ``test_journey_planner.py``):

- a token without ``planner:write`` is refused a new entry (403), and nothing is made;
- with it, an entry is made (sent twice with one ``Idempotency-Key``: one entry), listed in its week beside the
  orders' deadlines of the agenda, changed, ticked done and deleted;
- a feed is made, its address read as a calendar program reads it (``icalendar``), revoked, and then refused;
- a typed phrase is read into the draft of an order — executor, subject, next Friday — and nothing is made.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import pytest

from .planner_journeys import count, day, facts_fixture, fetch  # noqa: F401 — the fixture

pytestmark = [pytest.mark.production]

TOKENS = r"""
import json
from krai.accounts.services.tokens import token_create
from krai.org.models import User

official = User.objects.get(email={login!r})
full = token_create(actor=official, user=official, name="Журнал проверки: планировщик",
                    scopes=["read", "write", "planner:write"])
bare = token_create(actor=official, user=official, name="Журнал проверки: без планировщика", scopes=["read", "write"])
print(json.dumps({{"full": full.key, "bare": bare.key}}))
"""


def _call(installation, token: str, method: str, path: str, body: dict | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict]:
    """One request as a program makes it: JSON in and out, through the region's balancer."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(installation.front + path, data=data, method=method, headers={  # noqa: S310
        "Authorization": f"Bearer {token}", "Accept": "application/json", "Content-Type": "application/json",
        **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — our own installation
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_the_planner_through_the_api(installation, facts):
    import icalendar

    official = facts["official"]
    answer = installation.krai("shell", "-c", TOKENS.format(login=official["login"]))
    assert answer.returncode == 0, answer.stdout[-2000:] + answer.stderr[-4000:]
    tokens = json.loads(answer.stdout.strip().splitlines()[-1])
    full, bare = tokens["full"], tokens["bare"]
    monday = day(facts["monday"])
    week = f"start={monday.isoformat()}&end={(monday + timedelta(days=7)).isoformat()}"
    title = "Подготовить доклад к коллегии (API)"
    entry = {"kind": "task", "title": title, "starts_at": f"{monday + timedelta(days=2)}T00:00:00+03:00",
             "all_day": True}

    def call(token: str, method: str, path: str, body: dict | None = None, **headers: str) -> tuple[int, dict]:
        return _call(installation, token, method, path, body, headers)

    # without planner:write: refused, nothing made
    status, refused = call(bare, "POST", "/api/v1/planner/entries/", entry)
    assert status == 403, (status, refused)
    assert count(installation, "planner.Entry", owner_id=official["id"], title=title) == 0

    # made once, though sent twice with its key
    key = str(uuid.uuid4())
    status, made = call(full, "POST", "/api/v1/planner/entries/", entry, **{"Idempotency-Key": key})
    assert status == 201, (status, made)
    status, again = call(full, "POST", "/api/v1/planner/entries/", entry, **{"Idempotency-Key": key})
    assert status in (200, 201) and again["id"] == made["id"], (status, again)
    assert count(installation, "planner.Entry", owner_id=official["id"], title=title) == 1
    status, listed = call(full, "GET", f"/api/v1/planner/entries/?{week}")
    assert status == 200 and [r["entry"] for r in listed["results"] if r["title"] == title] == [made["id"]], listed
    status, agenda = call(full, "GET", f"/api/v1/planner/agenda/?{week}")
    titles = [item["title"] for item in agenda["results"]]
    assert status == 200 and title in titles, (status, titles)
    assert all(deadline in titles for deadline in official["deadlines"]), (official["deadlines"], titles)

    # changed, ticked done
    status, changed = call(full, "PATCH", f"/api/v1/planner/entries/{made['id']}/",
                           {"title": title + " — с цифрами", "location": "зал коллегии"})
    assert status == 200 and changed["title"] == title + " — с цифрами" and changed["location"] == "зал коллегии"
    assert changed["sequence"] > made["sequence"], (made["sequence"], changed["sequence"])
    status, done = call(full, "PATCH", f"/api/v1/planner/entries/{made['id']}/", {"done": True})
    assert status == 200 and done["done_at"], done

    # the feed: made, read by a calendar program, revoked
    status, feed = call(full, "POST", "/api/v1/planner/feeds/")
    assert status == 201 and feed["address"].endswith(".ics"), (status, feed)
    address = feed["address"].replace("https://", "http://", 1)  # the balancer's TLS, not ours
    status, _kind, body = fetch(address)
    summaries = [str(event.get("SUMMARY")) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert status == 200 and any(title + " — с цифрами" in summary for summary in summaries), summaries
    status, _ = call(full, "DELETE", f"/api/v1/planner/feeds/{feed['id']}/")
    assert status == 204
    with pytest.raises(urllib.error.HTTPError) as gone:
        fetch(address)
    assert gone.value.code in (404, 410), gone.value.code

    # a phrase read into a draft; nothing is made
    executor = official["executor"]
    before = count(installation, "orders.Order", title__iexact=executor["subject"])
    status, draft = call(full, "POST", "/api/v1/planner/voice/parse/", {"text": executor["phrase"], "language": "ru"})
    assert status == 200, (status, draft)
    assert draft["intent"] == "order" and draft["complete"], draft
    assert draft["executor"]["id"] == executor["id"] and draft["deadline"] == facts["friday"], draft
    assert draft["subject"].lower() == executor["subject"].lower(), draft
    assert count(installation, "orders.Order", title__iexact=executor["subject"]) == before

    # deleted
    status, _ = call(full, "DELETE", f"/api/v1/planner/entries/{made['id']}/")
    assert status == 204
    status, _ = call(full, "GET", f"/api/v1/planner/entries/{made['id']}/")
    assert status == 404
    assert count(installation, "planner.Entry", owner_id=official["id"], title__startswith=title) == 0
