"""Administration's API in the deployed shape (journey c of ``test_journey_administration.py``), with the
administrator's personal tokens as a program would hold them:

- a token without ``administration:write`` is refused (403) the bulk change, the appointment of a deputy and the
  end of one, and nothing changes;
- with it, a role within an organisation is previewed (``dry_run``), then given, and read back in the person's
  access; a deputy is appointed for a department's head, shows in the deputy's access, and is ended.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date, timedelta

import pytest

from .administration_journeys import facts_of

pytestmark = [pytest.mark.production]

TOKENS = r"""
import json
from krai.accounts.services.tokens import token_create
from krai.org.models import User

admin = User.objects.get(email="admin@demo.krai")
full = token_create(actor=admin, user=admin, name="Журнал проверки: администрирование",
                    scopes=["read", "write", "administration:write"])
bare = token_create(actor=admin, user=admin, name="Журнал проверки: без администрирования",
                    scopes=["read", "write"])
print(json.dumps({"full": full.key, "bare": bare.key}))
"""


@pytest.fixture(scope="module")
def tokens(installation) -> dict[str, str]:
    answer = installation.krai("shell", "-c", TOKENS)
    assert answer.returncode == 0, answer.stdout[-2000:] + answer.stderr[-4000:]
    return json.loads(answer.stdout.strip().splitlines()[-1])


def _call(installation, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    """One request to the API as a program makes it (JSON in and out, through the TLS-terminating balancer)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(installation.url + path, data=data, method=method, headers={  # noqa: S310
        "Authorization": f"Bearer {token}", "Accept": "application/json", "Content-Type": "application/json",
        "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — our own installation
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_roles_and_deputies_through_the_api(installation, tokens):
    facts = facts_of(installation)
    mine = facts["api"]
    person, target, principal, deputy = mine["person"], mine["target"], mine["principal"], mine["deputy"]
    today = date.fromisoformat(facts["today"])
    full, bare = tokens["full"], tokens["bare"]

    def call(token: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        return _call(installation, token, method, path, body)

    status, found = call(full, "GET", f"/api/v1/administration/people/?q={person['email']}")
    assert status == 200 and [row["id"] for row in found["results"]] == [person["id"]], found
    status, before = call(full, "GET", f"/api/v1/administration/people/{person['id']}/")
    assert status == 200, before
    status, deputies = call(full, "GET", "/api/v1/administration/deputies/?state=all")
    assert status == 200, deputies
    grant = {"people": [person["id"]], "action": "grant", "role": "executor", "scope": "organisation",
             "organisation": target["id"]}
    appoint = {"principal": principal["id"], "deputy": deputy["id"], "starts_on": today.isoformat(),
               "ends_on": (today + timedelta(days=3)).isoformat(), "reason": "Служебная командировка"}

    # a token without administration:write: refused, nothing changed (it still reads)
    for path, body in (("/api/v1/administration/bulk/", grant), ("/api/v1/administration/bulk/",
                                                                 {**grant, "dry_run": True}),
                       ("/api/v1/administration/deputies/", appoint)):
        status, refused = call(bare, "POST", path, body)
        assert status == 403, (path, status, refused)
        assert "administration:write" in json.dumps(refused, ensure_ascii=False), refused
    assert call(bare, "GET", f"/api/v1/administration/people/{person['id']}/") == (200, before)
    assert call(full, "GET", "/api/v1/administration/deputies/?state=all")[1]["count"] == deputies["count"]

    # the role: previewed, then given, then read back
    status, preview = call(full, "POST", "/api/v1/administration/bulk/", {**grant, "dry_run": True})
    assert status == 200, preview
    assert preview["dry_run"] and not preview["applied"] and preview["changes"] == 1, preview
    assert [(line["person"], line["outcome"]) for line in preview["lines"]] == [(person["id"], "change")]
    assert call(full, "GET", f"/api/v1/administration/people/{person['id']}/") == (200, before)
    status, done = call(full, "POST", "/api/v1/administration/bulk/", grant)
    assert status == 200 and done["applied"] and done["changes"] == 1, done
    status, after = call(full, "GET", f"/api/v1/administration/people/{person['id']}/")
    assert status == 200, after
    given = [role for role in after["roles"] if role["organisation"] == target["id"]]
    assert [(r["role"], r["scope"], r["target_name"]) for r in given] == [("executor", "organisation",
                                                                            target["name"])], after["roles"]
    assert len(after["roles"]) == len(before["roles"]) + 1
    status, again = call(full, "POST", "/api/v1/administration/bulk/", {**grant, "dry_run": True})
    assert status == 200 and again["changes"] == 0 and again["unchanged"] == 1, again

    # the deputy: appointed, seen in his access, refused an end without the scope, ended
    status, made = call(full, "POST", "/api/v1/administration/deputies/", appoint)
    assert status == 201, made
    assert made["state"] == "in_force" and made["principal"]["id"] == principal["id"], made
    assert made["deputy"]["id"] == deputy["id"] and made["ended_at"] is None, made
    status, acting = call(full, "GET", f"/api/v1/administration/people/{deputy['id']}/")
    assert status == 200 and [d["id"] for d in acting["acts_for"]] == [made["id"]], acting["acts_for"]
    status, listed = call(full, "GET", "/api/v1/administration/deputies/?state=in_force&page_size=500")
    assert made["id"] in [row["id"] for row in listed["results"]], listed
    end = f"/api/v1/administration/deputies/{made['id']}/end/"
    status, refused = call(bare, "POST", end)
    assert status == 403, refused
    assert call(full, "GET", f"/api/v1/administration/deputies/{made['id']}/")[1]["state"] == "in_force"
    status, ended = call(full, "POST", end)
    assert status == 200 and ended["state"] == "ended" and ended["ended_at"], ended
    status, again = call(full, "POST", end)
    assert status == 400, again
    status, acting = call(full, "GET", f"/api/v1/administration/people/{deputy['id']}/")
    assert status == 200 and acting["acts_for"] == [], acting["acts_for"]
