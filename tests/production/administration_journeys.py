"""What administration's journeys in the deployed shape share (``test_journey_administration*.py``): the facts they
choose in the installation's database, the wait for the worker's backlog, and the page helpers."""

from __future__ import annotations

import json
import re
import time

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits

ADMIN = "admin@demo.krai"
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
#: the browser's own console line for a page refused on purpose (the account's pages while acting)
REFUSALS = ("status of 403",)

#: what the journeys use, chosen in the installation's database among the demo's departments (a JSON line): the
#: pairs of a head and his deputy with no deputyship yet and an assignment the head may report on; the rest of the
#: departments in a fixed order for the people and organisations of the access journeys; the heads whose
#: departments executed the most this year, for efficiency
FACTS = r"""
import json
from django.db.models import Count
from django.utils import timezone
from krai.orders import pickers
from krai.orders.models import Assignment, Status
from krai.org.models import Deputyship, Organisation, User

def staff(local):
    return User.objects.filter(email=f"{local}@demo.krai", is_active=True, is_staff=True).first()

labels = pickers.organisation_labels()

def who(user):
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "short_name": user.short_name,
            "surname": user.surname, "label": pickers.person_label(user, pickers.units_of([user]).get(user.pk, ""))}

def org(body):
    return {"id": body.pk, "code": body.code, "name": body.name, "label": labels[body.pk]}

today = timezone.localdate()
bodies = list(Organisation.objects.filter(is_active=True, kind=Organisation.Kind.DEPARTMENT).order_by("code"))
busy = set(Deputyship.objects.values_list("principal_id", flat=True))
busy |= set(Deputyship.objects.values_list("deputy_id", flat=True))
pairs, rest = [], []
for body in bodies:
    head, deputy = staff(f"head.{body.code}"), staff(f"deputy.{body.code}")
    if len(pairs) < 2 and head and deputy and not {head.pk, deputy.pk} & busy:
        open_ = Assignment.objects.filter(executor_organisation=body, status__in=[Status.ISSUED, Status.IN_PROGRESS])
        found = next((a for a in open_.order_by("deadline", "pk")[:50]
                      if head.has_perm("orders.report_assignment", a)), None)
        if found is not None:
            pairs.append({"body": org(body), "head": who(head), "deputy": who(deputy),
                          "assignment": {"id": found.pk, "title": found.title}})
            continue
    rest.append(body)

def unit1(body):
    head = staff(f"unit1.{body.code}")
    executor = staff(f"exec1.unit1.{body.code}")
    return [who(head), who(executor)]

access = [{"person": unit1(rest[i])[1], "target": org(rest[2 + i]),
           "bulk": unit1(rest[4 + i]), "bulk_query": f"unit1.{rest[4 + i].code}@", "bulk_target": org(rest[6 + i])}
          for i in range(2)]
# the API's from the end of the list: the same whether or not the pairs above are taken by then
api = {"person": unit1(rest[-1])[1], "target": org(rest[-2]), "principal": who(staff(f"head.{rest[-3].code}")),
       "deputy": unit1(rest[-3])[1]}
done = (Assignment.objects.filter(status=Status.DONE, completed_on__year=today.year)
        .values("executor_organisation__path").annotate(n=Count("pk")))
by_body = {b.code: sum(row["n"] for row in done if row["executor_organisation__path"].startswith(b.path))
           for b in bodies}
busiest = sorted((code for code in by_body if staff(f"head.{code}")), key=lambda c: (-by_body[c], c))[:2]
print(json.dumps({"today": today.isoformat(), "admin": who(staff("admin")), "deputies": pairs, "access": access,
                  "api": api, "efficiency": [who(staff(f"head.{code}")) for code in busiest]}))
"""


#: the events not yet copied to the audit trail and the other subscribers (the worker's backlog): right after
#: ``krai demo`` it takes the worker minutes, and a person's access history is read from the trail
BACKLOG = r"""
import json
from django.utils import timezone
from krai.core.events.models import Event, EventDelivery
print(json.dumps({"undispatched": Event.objects.filter(dispatched_at__isnull=True).count(),
                  "due": EventDelivery.objects.filter(status=EventDelivery.Status.PENDING,
                                                      next_attempt_at__lte=timezone.now()).count()}))
"""
SETTLE_S = 600


def settle(installation) -> None:
    """Wait until the worker has caught up with the events (then each change reaches the trail in seconds)."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        answer = installation.krai("shell", "-c", BACKLOG)
        assert answer.returncode == 0, answer.stdout[-2000:] + answer.stderr[-4000:]
        counts = json.loads(answer.stdout.strip().splitlines()[-1])
        if not any(counts.values()):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the worker has not caught up with the events in {SETTLE_S} s: {counts}")
        time.sleep(5)


def facts_of(installation) -> dict:
    answer = installation.krai("shell", "-c", FACTS)
    assert answer.returncode == 0, answer.stdout[-2000:] + answer.stderr[-4000:]
    facts = json.loads(answer.stdout.strip().splitlines()[-1])
    assert len(facts["deputies"]) == 2, facts["deputies"]
    assert len(facts["efficiency"]) == 2, facts["efficiency"]
    return facts



@pytest.fixture(scope="module", name="crawler")
def crawler_fixture(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


@pytest.fixture(scope="module", name="facts")
def facts_fixture(installation) -> dict:
    settle(installation)
    return facts_of(installation)


def _index(viewport: dict) -> int:
    return 0 if viewport["width"] == DESKTOP["width"] else 1


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _said(page, *words: str) -> str:
    """The page's messages; one of ``words`` (Russian, or the English fallback) must be there."""
    text = " ".join(page.locator(".krai-messages, .alert").all_inner_texts())
    assert re.search("|".join(words), text, re.I), text
    return text


def _pick(page, select: str, typed: str, label: str) -> None:
    """Choose in a picker (krai/picker.js): type, then click the answer that reads exactly ``label``."""
    page.fill(f"{select}-search", typed)
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    page.locator(f"{select}-search ~ ul [role=option]", has_text=exact).first.click()
    assert page.eval_on_selector(select, "s => s.selectedOptions[0].text").strip() == label


def _option(page, select: str, value: str) -> str:
    """Choose ``value`` in a plain select; its label as the page shows it."""
    page.select_option(select, value)
    return page.eval_on_selector(select, "s => s.selectedOptions[0].text").strip()


def _russian(page, where: str) -> None:
    assert page.locator("html").get_attribute("lang") == "ru", where
    fits(page, where)


def _menu(page, href: str) -> None:
    """Open a section from the workspace menu's "More" (on a phone the menu unfolds first)."""
    toggler = page.locator("header .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("header .navbar-collapse.show").wait_for()
    page.locator("#krai-nav-more").click()
    with page.expect_navigation():
        page.locator(f"#krai-nav-more ~ .dropdown-menu a[href='{href}']").click()


def _history(page) -> list[tuple[str, str]]:
    """The person's access history as (what, who), the latest first."""
    rows = page.locator("#krai-history tbody tr")
    return [(row.locator("th").inner_text().strip(), row.locator("td").last.inner_text().strip())
            for row in rows.all() if row.locator("th").count()]


def _about(page, name: str) -> int:
    return sum(name in what for what, _who in _history(page))


def _history_about(page, name: str, more_than: int = 0) -> list[tuple[str, str]]:
    """The history once more than ``more_than`` of its rows are about ``name`` (the audit trail is written by the
    worker from the events, a moment after the change)."""
    for _attempt in range(60):
        if _about(page, name) > more_than:
            return _history(page)
        time.sleep(1)
        page.reload()
    raise AssertionError(f"the history does not show the change about {name}: {_history(page)[:3]}")


def _roles(page) -> list[tuple[str, str]]:
    """The person's roles as (role, within)."""
    return [(row.locator("th").inner_text().strip(), row.locator("td").nth(1).inner_text().strip())
            for row in page.locator("#krai-roles tbody tr").all() if row.locator("th").count()]
