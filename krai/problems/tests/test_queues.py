"""The workspace's queues reach every item: pages and the total, filters kept in the URL, open items first by
deadline, and moderation of many reports at once (each through the one-report service)."""

import datetime as dt
import html
import re

from django.contrib.messages import get_messages
from django.utils import timezone

from krai.core.events.models import Event
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign
from krai.problems import selectors, services
from krai.problems.models import Problem, ProblemUpdate
from krai.problems.tests.factories import place

MODERATION = "/workspace/problems/moderation/"
QUEUE = "/workspace/problems/"


def many(world, n: int, **fields) -> list[Problem]:
    """``n`` reports written at once (tests of reads); the default is a new one awaiting moderation."""
    values = {"category": world["pothole"], "municipality": world["municipality"], "author": world["resident"],
              "lat": 45.0, "lon": 38.0, "description": "Яма у дома, глубокая", "public_description": "Яма у дома",
              "status": Problem.Status.NEW, **fields}
    return Problem.objects.bulk_create([Problem(**values) for _ in range(n)])


def count_shown(page: str) -> int:
    return int(re.search(r'id="krai-queue-count" data-total="(\d+)"', page).group(1))


def walk(client, url: str, row: str) -> tuple[int, list[int]]:
    """Follow "next" from the first page to the last: the count the first page shows and every row's number."""
    first = client.get(url).content.decode()
    total, rows, page = count_shown(first), [], first
    while True:
        rows += [int(n) for n in re.findall(row, page)]
        following = re.search(r'<a class="page-link" href="\?([^"]*)" rel="next"', page)
        if not following:
            return total, rows
        page = client.get(url.split("?")[0] + "?" + html.unescape(following.group(1))).content.decode()


def test_moderation_pages_reach_every_report_and_the_count_is_their_sum(client, world):
    made = many(world, 65)
    client.force_login(world["moderator"])
    total, rows = walk(client, MODERATION, r'name="ids" value="(\d+)"')
    assert total == 65 == len(rows)
    assert sorted(rows) == sorted(p.pk for p in made) == rows  # the oldest first, no row twice
    first = client.get(MODERATION).content.decode()
    assert 'href="?page=3"' in first  # the last page is one click away


def test_queue_filters_stay_in_the_page_links(client, world):
    many(world, 35, status=Problem.Status.ROUTED, organisation=world["administration"])
    many(world, 5, status=Problem.Status.ROUTED, organisation=world["administration"], category=world["light"])
    client.force_login(world["moderator"])
    url = f"{QUEUE}?category={world['pothole'].pk}&status=open"
    total, rows = walk(client, url, r'<th scope="row"><a href="/workspace/problems/(\d+)/">')
    assert total == 35 == len(rows) == len(set(rows))
    page = client.get(url).content.decode()
    assert f"category={world['pothole'].pk}&amp;status=open&amp;page=2" in page


def test_queue_filters(client, world):
    today = timezone.localdate()
    other_body = OrganisationFactory(name="Дорожное агентство")
    late = many(world, 1, status=Problem.Status.ROUTED, organisation=world["administration"],
                due_date=today - dt.timedelta(days=2))[0]
    soon = many(world, 1, status=Problem.Status.IN_WORK, organisation=other_body, due_date=today + dt.timedelta(days=3),
                address="ул. Садовая, 7")[0]
    fixed = many(world, 1, status=Problem.Status.FIXED, organisation=world["administration"],
                 due_date=today - dt.timedelta(days=30), category=world["light"])[0]
    user = world["moderator"]

    def ids(**kw):
        return [p.pk for p in selectors.workspace_queue(user=user, filters=selectors.Filters(**kw))]

    assert ids() == [late.pk, soon.pk, fixed.pk]  # open first by deadline; the fixed one's older date comes last
    assert ids(status="open") == [late.pk, soon.pk] and ids(status="fixed") == [fixed.pk]
    assert ids(overdue=True) == [late.pk]
    assert ids(body="дорожное") == [soon.pk]
    assert ids(text="Садовая") == [soon.pk] and ids(text=f"№{fixed.pk}") == [fixed.pk]
    assert ids(category=world["light"]) == [fixed.pk]
    client.force_login(user)
    page = client.get(QUEUE, {"body": "Дорожное", "overdue": ""}).content.decode()
    assert count_shown(page) == 1 and f'href="/workspace/problems/{soon.pk}/"' in page
    assert count_shown(client.get(QUEUE, {"overdue": "on"}).content.decode()) == 1


def test_moderation_filters(client, world):
    elsewhere, _admin = place(39.0, 46.0, code="village")
    here = many(world, 2)
    there = many(world, 1, municipality=elsewhere, description="Нет света во дворе")
    client.force_login(world["moderator"])
    assert count_shown(client.get(MODERATION, {"municipality": elsewhere.pk}).content.decode()) == 1
    page = client.get(MODERATION, {"text": str(here[1].pk)}).content.decode()
    assert count_shown(page) == 1 and f'value="{here[1].pk}"' in page
    assert [p.pk for p in selectors.moderation_queue(user=world["moderator"],
                                                     filters=selectors.Filters(text="свет"))] == [] != there
    # the text filter reads the public text: moderators search what they see in the list too
    assert count_shown(client.get(MODERATION).content.decode()) == 3


def test_reject_many_with_one_reason(client, world):
    reports = many(world, 4)
    client.force_login(world["moderator"])
    before = Event.objects.filter(kind="problems.rejected").count()
    ticked = [p.pk for p in reports[:3]]
    response = client.post("/workspace/problems/moderation/many/", {
        "ids": ticked, "action": "reject", "reason": "Не относится к ведению органов власти",
        "next": f"{MODERATION}?page=1"})
    assert response.status_code == 302 and response["Location"] == f"{MODERATION}?page=1"
    assert set(Problem.objects.filter(status="rejected").values_list("pk", flat=True)) == set(ticked)
    assert set(Problem.objects.filter(pk__in=ticked).values_list("moderation_reason", flat=True)) == {
        "Не относится к ведению органов власти"}
    assert Event.objects.filter(kind="problems.rejected").count() - before == 3  # each one audited
    assert ProblemUpdate.objects.filter(kind="rejected").count() == 3
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert all(f"№{pk}" in text for pk in ticked)
    assert Problem.objects.get(pk=reports[3].pk).status == "new"


def test_reject_many_without_a_reason_changes_nothing(client, world):
    reports = many(world, 2)
    client.force_login(world["moderator"])
    response = client.post("/workspace/problems/moderation/many/", {
        "ids": [p.pk for p in reports], "action": "reject", "reason": "  "}, follow=True)
    assert not Problem.objects.exclude(status="new").exists()
    assert "Укажите, почему сообщения отклонены" in response.content.decode()  # the service's refusal, in Russian


def test_publish_many_says_where_each_went_and_what_was_refused(client, world):
    routable = many(world, 2)
    nowhere, _none = place(40.0, 47.0, code="no-admin", admin=False)
    unroutable = many(world, 1, municipality=nowhere)[0]
    done_already = many(world, 1, status=Problem.Status.REJECTED, moderation_reason="Спам")[0]
    client.force_login(world["moderator"])
    ids = [p.pk for p in routable] + [unroutable.pk, done_already.pk]
    response = client.post("/workspace/problems/moderation/many/", {"ids": ids, "action": "publish"}, follow=True)
    page = response.content.decode()
    assert set(Problem.objects.filter(status="routed").values_list("pk", flat=True)) == {p.pk for p in routable}
    due = Problem.objects.get(pk=routable[0].pk).due_date
    assert world["administration"].name in page and due.strftime("%d.%m.%Y") in page
    assert f"№{unroutable.pk}: " in page and f"№{done_already.pk}: " in page
    assert Problem.objects.get(pk=unroutable.pk).status == "new"


def test_only_moderators_moderate_many(client, world):
    reports = many(world, 2)
    client.force_login(world["executor"])  # staff, but no moderator
    client.post("/workspace/problems/moderation/many/", {"ids": [p.pk for p in reports], "action": "reject",
                                                         "reason": "Спам"})
    assert not Problem.objects.exclude(status="new").exists()
    resident = world["resident"]
    client.force_login(resident)
    assert client.post("/workspace/problems/moderation/many/", {"ids": [reports[0].pk], "action": "publish"}
                       ).status_code == 403
    assert not Problem.objects.exclude(status="new").exists()


def test_the_service_takes_each_report_through_its_own_checks(world):
    head = StaffFactory()
    elsewhere, _admin = place(39.0, 46.0, code="village")
    assign(head, Role.HEAD, municipality=world["municipality"])
    mine, theirs = many(world, 1)[0], many(world, 1, municipality=elsewhere)[0]
    result = services.problems_moderate_many(actor=head, problems=[mine, theirs], action="reject", reason="Спам")
    assert result.rejected == [mine.pk] and [pk for pk, _m in result.refused] == [theirs.pk]
    assert Problem.objects.get(pk=theirs.pk).status == "new"


def test_publishing_one_lands_on_it_with_its_body_and_deadline(client, world):
    report = many(world, 2)[0]
    client.force_login(world["moderator"])
    response = client.post(f"/workspace/problems/{report.pk}/publish/",
                           {"public_description": "Яма у дома, глубокая"}, follow=True)
    report.refresh_from_db()
    assert response.redirect_chain[-1][0] == f"/workspace/problems/{report.pk}/"
    page = html.unescape(response.content.decode())
    due, body = report.due_date.strftime("%d.%m.%Y"), world["administration"].name
    said = " ".join(re.findall(r'<div class="alert alert-success" role="status">(.*?)</div>', page, re.S))
    assert body in said and due in said, said
    assert re.search(r'id="krai-routed-to">' + re.escape(body) + "<", page)
    assert f'id="krai-due">{due}' in page
    assert "Следующее сообщение на модерации" in page  # on to the other report waiting


def test_api_moderation_count_and_many(client, world):
    reports = many(world, 30)
    client.force_login(world["moderator"])
    body = client.get("/api/v1/problems/moderation/").json()
    assert body["count"] == 30
    response = client.post("/api/v1/problems/moderation/", {"ids": [reports[0].pk, reports[1].pk, 999999],
                                                            "action": "publish"}, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [item["id"] for item in data["published"]] == [reports[0].pk, reports[1].pk]
    assert data["published"][0]["organisation"] == world["administration"].name
    assert [item["id"] for item in data["refused"]] == [999999]
    bad = client.post("/api/v1/problems/moderation/", {"ids": [reports[2].pk], "action": "reject"},
                      content_type="application/json")
    assert bad.status_code == 400 and Problem.objects.get(pk=reports[2].pk).status == "new"
    assert client.get("/api/v1/problems/moderation/").json()["count"] == 28
