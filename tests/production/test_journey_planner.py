"""The planner's journeys in the deployed shape, through the pages of the installed app (the browser opens the
installation through its balancer, service worker on) — on a desktop (1280 px) and on a phone (390 px), never
scrolling sideways, in Russian and with no script or console error. An official of the demo (a department's head
with deadlines of orders in the week he plans, chosen by ``FACTS`` in ``planner_journeys.py``):

a) plans next week: opens the planner from the workspace menu (More → Planner), writes a meeting, an event repeating
   every working day of which he leaves Wednesday's out, and a task with a reminder the day before; sees them in
   the week view beside his orders' deadlines from the agenda (Wednesday without the repeating one); opens "what I
   gave";
b) subscribes: makes the private feed address on the feed page; the .ics is fetched from the installation as a
   calendar program does and read with ``icalendar`` + ``recurring_ical_events``: the week's entries are there, the
   repeating one four times (Wednesday left out, as EXDATE), the orders' deadlines too;
c) dictates an order by typing the phrase "поручить <a real executor, in the dative> подготовить справку по дорогам
   до пятницы": the draft shows the executor, the subject and next Friday, and no order exists until he confirms;
   confirmed, a draft order for that executor by that Friday opens on the orders' form.

Then axe-core checks the planner's pages (serious and critical WCAG 2.1 A/AA violations fail). The API journey is
in ``test_journey_planner_api.py``, the offline ones in ``test_journey_offline.py``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.test_accessibility import AXE, _violations

from .administration_journeys import _menu, _russian, _submit
from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors
from .planner_journeys import app_fixture, count, day, facts_fixture, fetch  # noqa: F401 — fixtures

pytestmark = [pytest.mark.production, pytest.mark.browser]

MOSCOW = ZoneInfo("Europe/Moscow")
#: each viewport plans its own entries, so that the two runs do not meet
PLANS = {
    DESKTOP["width"]: {"meeting": "Совещание по зимнему содержанию дорог", "round": "Обход строительных объектов",
                       "task": "Согласовать график приёма граждан"},
    PHONE["width"]: {"meeting": "Совещание по ремонту мостов", "round": "Утренний обзор обращений",
                     "task": "Подписать отчёт о закупках"},
}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


def _entry(page, url: str, **fields: str) -> int:
    """Write an entry on the entry form (``kind``, ``title``, dates and times, ``repeat``…, ``reminder``: minutes
    before); its id, from the entry's page it opens."""
    page.goto(url + "/workspace/planner/")
    with page.expect_navigation():
        page.locator("#krai-planner-new").click()
    _russian(page, "the entry form")
    page.select_option("#id_kind", fields.pop("kind"))
    reminder = fields.pop("reminder", None)
    repeat = fields.pop("repeat", None)
    if repeat:
        page.select_option("#id_repeat", repeat)
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    if reminder:
        page.select_option("#id_reminders-0-minutes_before", reminder)
    fits(page, "the entry form filled")
    _submit(page, "#krai-entry-form button[type=submit]")
    found = re.search(r"/workspace/planner/entries/(\d+)/$", page.url)
    assert found, (page.url, page.locator(".invalid-feedback, .alert-danger").all_inner_texts())
    assert page.locator("#krai-entry-title").inner_text().strip() == fields["title"]
    return int(found.group(1))


@VIEWPORTS
def test_an_official_plans_a_week_subscribes_and_dictates_an_order(app, installation, facts, viewport):
    import icalendar
    import recurring_ical_events

    url = installation.front
    official = facts["official"]
    plan = PLANS[viewport["width"]]
    monday = day(facts["monday"])
    tuesday, wednesday, thursday = (monday + timedelta(days=n) for n in (1, 2, 3))
    page = app.context(official["login"]).new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page, ignore=("status of 400",))
    try:
        # a) the week planned through the pages
        page.goto(url + "/workspace/")
        _menu(page, "/workspace/planner/")
        _russian(page, "the planner")
        _entry(page, url, kind="meeting", title=plan["meeting"], start_date=tuesday.isoformat(),
                         start_time="11:00", end_time="12:30", location="каб. 214")
        _entry(page, url, kind="event", title=plan["round"], start_date=monday.isoformat(),
                        start_time="08:30", end_time="09:00", repeat="weekdays", repeat_count="5")
        assert page.locator("#krai-entry-occurrences li").count() == 5
        left_out = page.locator("#krai-entry-occurrences li", has_text=wednesday.strftime("%d.%m.%Y"))
        _submit(page, f"#krai-entry-occurrences li:has-text('{wednesday:%d.%m.%Y}') button[type=submit]")
        assert left_out.count() == 0 and page.locator("#krai-entry-occurrences li").count() == 4
        assert wednesday.strftime("%d.%m.%Y") in page.locator("#krai-entry-left-out").inner_text()
        fits(page, "the repeating entry with Wednesday left out")
        task = _entry(page, url, kind="task", title=plan["task"], start_date=thursday.isoformat(),
                      reminder=str(24 * 60))
        page.goto(f"{url}/workspace/planner/entries/{task}/edit/")
        assert page.input_value("#id_reminders-0-minutes_before") == str(24 * 60)

        # the week beside his orders' deadlines (a phone's week is FullCalendar's list)
        page.goto(f"{url}/workspace/planner/?view=week&date={monday.isoformat()}")
        calendar = page.locator("#krai-calendar")
        calendar.locator(".fc-event, .fc-list-event", has_text=plan["meeting"]).first.wait_for()
        page.wait_for_load_state("networkidle")
        shown = calendar.inner_text()
        for title in (plan["meeting"], plan["task"], *official["deadlines"][:3]):
            assert title in shown, (title, shown[:2000])
        assert calendar.locator(".fc-event, .fc-list-event", has_text=plan["round"]).count() == 4
        assert page.locator("#krai-planner-list").is_hidden()  # the no-script list gives way to the calendar
        fits(page, "the week")
        with page.expect_navigation():
            page.locator("#krai-planner-given").click()
        _russian(page, "what I gave")
        total = int(page.locator("#krai-given-count").inner_text())
        assert page.locator("#krai-given-table tbody tr").count() == min(total, 25), total

        # b) the feed: made on its page, read as a calendar program reads it
        page.goto(url + "/workspace/planner/feed/")
        _submit(page, "#krai-feed-make")
        address = page.input_value("#krai-feed-address")
        assert address.startswith("https://127.0.0.1:") and address.endswith(".ics"), address
        fits(page, "the new feed address")
        status, kind, body = fetch(address.replace("https://", "http://", 1))  # the balancer's TLS, not ours
        assert status == 200 and kind.startswith("text/calendar"), (status, kind)
        feed = icalendar.Calendar.from_ical(body)
        start = datetime.combine(monday, time.min, tzinfo=MOSCOW)
        week = recurring_ical_events.of(feed).between(start, start + timedelta(days=7))
        titles = [str(event.get("SUMMARY")) for event in week]
        assert plan["meeting"] in titles and plan["task"] in titles, titles
        for title in official["deadlines"][:3]:
            assert title in titles, (title, titles)
        round_days = sorted(_date(event.decoded("DTSTART")) for event in week if event.get("SUMMARY") == plan["round"])
        assert round_days == [monday + timedelta(days=n) for n in (0, 1, 3, 4)], round_days
        master = next(c for c in feed.walk("VEVENT") if c.get("SUMMARY") == plan["round"] and c.get("RRULE"))
        excluded = [moment.dt for exdate in _list(master.get("EXDATE")) for moment in exdate.dts]
        assert [_date(moment) for moment in excluded] == [wednesday], excluded
        meeting_event = next(event for event in week if event.get("SUMMARY") == plan["meeting"])
        assert meeting_event.decoded("DTSTART").astimezone(MOSCOW).replace(tzinfo=None) == datetime.combine(
            tuesday, time(11, 0))
        assert str(meeting_event.get("LOCATION")) == "каб. 214"

        # c) an order dictated (the typed phrase), shown as a draft, made only when confirmed
        executor, friday = official["executor"], day(facts["friday"])
        subject = executor["subject"]
        before = count(installation, "orders.Order", title__iexact=subject)
        page.goto(url + "/workspace/planner/voice/")
        _russian(page, "the voice page")
        page.fill("#krai-voice-text", executor["phrase"])
        _submit(page, "#krai-voice-form button[type=submit]")
        draft = page.locator("#krai-voice-draft dl").inner_text()
        assert executor["full_name"] in draft, draft
        assert subject.lower() in draft.lower() and friday.strftime("%d.%m.%Y") in draft, draft
        assert page.input_value("#id_deadline") == friday.isoformat()
        assert page.eval_on_selector("#id_executor", "s => s.value") == str(executor["id"])
        fits(page, "the draft for confirmation")
        assert count(installation, "orders.Order", title__iexact=subject) == before  # nothing made unseen
        _submit(page, "#krai-voice-confirm button[name=create]")
        made = re.search(r"/workspace/orders/order/(\d+)/edit/$", page.url)
        assert made, (page.url, page.locator(".invalid-feedback, .alert-danger").all_inner_texts())
        assert count(installation, "orders.Order", pk=int(made.group(1)), title__iexact=subject, issued_at__isnull=True,
                     lead_user_id=executor["id"], deadline=friday.isoformat()) == 1
        assert count(installation, "orders.Order", title__iexact=subject) == before + 1
        _russian(page, "the draft order's form")
        assert errors == [], errors
    finally:
        page.close()


def _list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _date(moment: date | datetime) -> date:
    return moment.astimezone(MOSCOW).date() if isinstance(moment, datetime) else moment


#: the planner's pages axe-core checks (the devices page: where push keeps it, the planner's or the notifications')
AXE_PAGES = ("/workspace/planner/", "/workspace/planner/?view=month", "/workspace/planner/entries/new/",
             "/workspace/planner/given/", "/workspace/planner/feed/", "/workspace/planner/import/",
             "/workspace/planner/voice/")
DEVICES = ("/notifications/devices/", "/workspace/planner/devices/")


def test_the_planner_pages_pass_axe(chromium, installation, facts):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    devices = next(path for path in DEVICES
                   if installation.get(path, headers={"X-Forwarded-Proto": "https"}).status != 404)
    # axe is routed in as the page's own file, which a service worker's fetch would pass by: workers blocked here
    crawler = Crawler(chromium, installation)
    page = crawler.context(facts["official"]["login"]).new_page()
    problems: list[str] = []
    try:
        for path in (*AXE_PAGES, devices):
            response = page.goto(installation.url + path)
            assert response is not None and response.status == 200, (path, response and response.status)
            page.wait_for_load_state("networkidle")
            problems += [f"{path}: {line}" for line in _violations(page)]
        page.set_viewport_size(PHONE)  # a phone's week is FullCalendar's list
        page.goto(installation.url + "/workspace/planner/")
        page.wait_for_load_state("networkidle")
        problems += [f"/workspace/planner/ on a phone: {line}" for line in _violations(page)]
    finally:
        crawler.close()
    assert problems == [], "\n".join(problems)
