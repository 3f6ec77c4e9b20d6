"""Access management's and the deputies' pages cost a constant number of queries however many rows they show: the
people list, a person's page (his roles, posts, deputyships and the history of his access), the review of an
organisation (everyone reaching it, deputies acting for them, systems), the review of a person (each part of his
scope with its count) and the deputies' lists — each counted on a small data set, then again with a dozen more
people, roles, posts, deputyships and history entries. Read as an administrator: he sees every part of the pages
(the forms to change access too)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from krai.administration.tests.test_access_review import small_tree
from krai.core.audit.models import AuditEntry
from krai.core.events.dispatch import deliver_pending
from krai.integration.tests.factories import external_system
from krai.org import services as org_services
from krai.org.models import Deputyship, Organisation, Role, ScopeKind, User
from krai.org.services import deputies as deputy_services
from krai.org.tests.factories import (
    BlockFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PositionFactory,
    StaffFactory,
    assign,
)

pytestmark = pytest.mark.django_db

#: more rows than the small data set has, within one page of every list (25 or 30 rows)
MORE = 12
#: the most queries any of these pages may cost (the workspace's frame, the permissions, the lists, their counts)
CEILING = 30
TODAY = timezone.localdate()


def _urls(tree: dict[str, Any]) -> list[str]:
    """The pages; the people list twice: whole (its page of 30 fills up as it grows) and searched for the people
    grown, where every new row is seen."""
    home = reverse("administration:home")
    return [home, f"{home}?q=Сотрудников", reverse("administration:access_person", args=[tree["head"].pk]),
            reverse("administration:access_review_of", args=["organisations", tree["unit"].pk]),
            reverse("administration:access_review_person", args=[tree["head"].pk]),
            reverse("administration:deputies")]


def _deputyship(principal: User, deputy: User, start: int, end: int, *, ended: bool = False,
                by: User | None = None) -> Deputyship:
    """A deputyship written directly (a past one cannot be appointed through the service)."""
    return Deputyship.objects.create(principal=principal, deputy=deputy, starts_on=TODAY + timedelta(days=start),
                                     ends_on=TODAY + timedelta(days=end), reason="отпуск", created_by=by,
                                     ended_at=timezone.now() if ended else None, ended_by=by if ended else None)


def _person_grows(tree: dict[str, Any], i: int, unit: Organisation) -> None:
    """The head of health: one more role given through the service (a history entry naming its target), a post, a
    deputyship either way, and an account change made by a deputy acting for the administrator."""
    admin, head = tree["admin"], tree["head"]
    municipality = MunicipalityFactory(name=f"Район {i}")
    elsewhere = OrganisationFactory(name=f"Ведомство {i}", block=tree["economy"])  # a root of his scope of its own
    targets = [{"scope": ScopeKind.ORGANISATION, "organisation": elsewhere},
               {"scope": ScopeKind.MUNICIPALITY, "municipality": municipality},
               {"scope": ScopeKind.BLOCK, "block": BlockFactory(name=f"Блок {i}")}]
    org_services.role_assign(actor=admin, user=head, role=[Role.EXECUTOR, Role.HEAD, Role.VICE_GOVERNOR][i % 3],
                             **targets[i % 3])
    PositionFactory(organisation=unit, title=f"Куратор {i}", holder=head)
    other = StaffFactory(surname=f"Коллегов{i:02d}")
    assign(other, Role.HEAD, organisation=unit)
    principal, deputy = (head, other) if i % 2 else (other, head)
    deputy_services.deputyship_appoint(actor=admin, principal=principal, deputy=deputy,
                                       starts_on=TODAY + timedelta(days=i), ends_on=TODAY + timedelta(days=i + 3),
                                       reason="командировка")
    helper = StaffFactory(surname=f"Помощников{i:02d}")
    AuditEntry.objects.create(kind="org.user_updated", actor=admin, actor_repr=admin.full_name, deputy=helper,
                              deputy_repr=helper.full_name, subject_type=ContentType.objects.get_for_model(User),
                              subject_id=str(head.pk), payload={"changed": {"phone": ["", f"+7 900 000 00 {i:02d}"]}})


def _grow(tree: dict[str, Any], n: int, start: int = 0) -> None:
    """``n`` more of everything the pages list: people of the staff (with roles, posts and deputies acting for them
    today) reaching the unit every way, past deputyships, and the head's roles, posts, deputyships and history
    (three rounds give every kind of row once: a role of each scope, a deputyship either way, a system)."""
    admin, unit = tree["admin"], tree["unit"]
    reaching = [{"organisation": unit}, {"organisation": tree["health"]}, {"block": tree["social"]},
                {"municipality": tree["town"]}]
    for i in range(start, start + n):
        inner = OrganisationFactory(name=f"Сектор {i}", parent=unit, block=tree["social"], kind="unit")
        person = StaffFactory(surname=f"Сотрудников{i:02d}")
        assign(person, [Role.EXECUTOR, Role.HEAD, Role.VICE_GOVERNOR, Role.HEAD][i % 4], **reaching[i % 4])
        assign(person, Role.EXECUTOR, organisation=inner)
        PositionFactory(organisation=inner, title="Начальник сектора", holder=person, is_head=True)
        acting = StaffFactory(surname=f"Замещающих{i:02d}")
        _deputyship(person, acting, 0, 5, by=admin)
        _deputyship(acting, person, -20, -10, ended=i % 2 == 0, by=admin)
        if i % 4 == 0:
            external_system(f"ais-{i}", organisation=unit)
        _person_grows(tree, i, inner)
    deliver_pending()  # the audit trail is written from the events


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _rows(client: Client, url: str) -> int:
    """Rows and list items the page shows (to be sure the growth reached it)."""
    html = client.get(url).content.decode()
    return html.count("<tr") + html.count("<li")


def test_access_pages_cost_the_same_queries_for_a_few_rows_and_for_many(client: Client) -> None:
    tree = small_tree()
    _grow(tree, 3)  # every page takes the same branches before and after growing: no list is empty
    client.force_login(tree["admin"])
    urls = _urls(tree)
    for url in urls:  # caches warmed (content types, the calendar), as on a running server
        client.get(url)
    small = {url: _queries(client, url) for url in urls}
    rows = {url: _rows(client, url) for url in urls}
    _grow(tree, MORE, start=3)
    for url in urls:
        large = _queries(client, url)
        extra = large[len(small[url]):] if len(large) > len(small[url]) else []
        assert len(large) == len(small[url]), (
            f"{url}: {len(small[url])} → {len(large)} queries; extra: {[q[:200] for q in extra[:3]]}")
        assert len(large) <= CEILING, url
        if url != urls[0]:  # the whole list stops at its page of 30
            assert _rows(client, url) >= rows[url] + MORE, f"{url} does not show the new rows"
