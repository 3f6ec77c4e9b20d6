""""Find out" about works in the deployed shape, through the pages only — on a desktop (1280 px) and on a phone
(390 px), never scrolling sideways and with no script or console error:

e) a demo resident finds a completed work of the demo and rates it: the average on the work's page, on its line
   in the list and on the statistics by responsible body moves exactly as one more rating moves it, and each
   number of the statistics opens a list of as many works (the ratings' number: the rated works, whose ratings
   add up to it);
   another resident follows a planned work of Krasnodar; the mayor starts it from the workspace, and the resident
   is told in his inbox (by the worker, in the background).

Each viewport has its own residents and works, so the two runs do not meet.
"""

from __future__ import annotations

import re
import time

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

MAYOR = "mayor.krasnodar@demo.krai"  # Krasnodar's works are its administration's
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
#: per viewport: who rates, the score given, who follows (demo residents with a confirmed e-mail)
RATER = {1280: "citizen.00053@demo.krai", 390: "citizen.00054@demo.krai"}
SCORE = {1280: 1, 390: 5}
FOLLOWER = {1280: "citizen.00055@demo.krai", 390: "citizen.00056@demo.krai"}
#: the row of a work to take, per viewport, so the runs choose different works
TAKE = {1280: 0, 390: 1}
LIST_PAGE = 20  # works per page of the list


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _number(text: str) -> float:
    """A number as the Russian pages print it ("4,33", "1 234")."""
    return float(re.search(r"-?\d[\d\s\xa0]*(?:[.,]\d+)?", text).group(0).replace(",", ".")
                 .replace(" ", "").replace("\xa0", ""))


def _said(page, *words: str) -> str:
    text = " ".join(page.locator(".krai-messages, .alert").all_inner_texts())
    assert re.search("|".join(words), text, re.I), text
    return text


def _rating(page) -> tuple[float, int]:
    """The work's page: its average rating and how many ratings it has."""
    shown = page.locator("#rate [data-rating]")
    count = page.locator("#rate [data-rating] + span").inner_text()
    return _number(shown.get_attribute("data-rating")), int(_number(count))


def _body_row(page, body: str):
    row = page.locator("#stats-bodies tbody tr", has=page.locator("th", has_text=re.compile(
        rf"^\s*{re.escape(body)}\s*$")))
    assert row.count() == 1, (body, page.locator("#stats-bodies").inner_text()[:2000])
    return row


def _ratings_listed(page) -> int:
    """The ratings the works of a list have, every page of it read (each line says "★ 4,33 (3)")."""
    base, total, counted = page.url, int(page.locator("main [data-total]").get_attribute("data-total")), 0
    for number in range(1, (total + LIST_PAGE - 1) // LIST_PAGE + 1):
        if number > 1:
            page.goto(f"{base}&page={number}")
        lines = page.locator("main li[data-work]").all_inner_texts()
        counted += sum(int(found.group(1)) for found in (re.search(r"★\s*[\d,.]+\s*\((\d+)\)", line)
                                                          for line in lines) if found)
    return counted


def _told(installation, login: str) -> str:
    script = ("from krai.core.events import dispatch; from krai.core.notifications.models import Notification; "
              "print(dispatch.backlog()); "
              f"print(list(Notification.objects.filter(user__email='{login}').values_list('kind', 'title')))")
    answer = installation.krai("shell", "-c", script)
    return answer.stdout[-3000:] + answer.stderr[-3000:]


@VIEWPORTS
def test_a_completed_work_is_rated_and_the_statistics_follow(crawler, installation, viewport):
    url = installation.url
    width = viewport["width"]
    errors: list[str] = []
    page = crawler.context(RATER[width]).new_page()
    page.set_viewport_size(viewport)
    watch_errors(page, errors)
    try:
        # a completed work he has not rated yet
        page.goto(url + "/works/?status=completed&municipality=")
        fits(page, "the completed works")
        links = [a.get_attribute("href") for a in page.locator("main [data-work] a[href^='/works/']").all()]
        assert len(links) > TAKE[width], links
        work = None
        for path in links[TAKE[width]:]:
            page.goto(url + path)
            form = page.locator(f"form[action='{path}rate/']")
            if form.count() and page.locator("#rate [data-rating]").count():
                button = form.locator("button[type=submit]").inner_text()
                if not re.search("Изменить|Change", button):
                    work = path
                    break
        assert work, "no completed work with ratings that this resident has not rated"
        name = page.locator("main h1").inner_text().strip()
        body = page.locator("#work-facts dt:has-text('Ответственный') + dd, #work-facts dt:has-text('Responsible') "
                            "+ dd").first.inner_text().strip()
        average, count = _rating(page)
        total = round(average * count)
        fits(page, "the completed work")

        page.goto(url + "/works/statistics/")
        row = _body_row(page, body)
        body_ratings = int(_number(row.locator("[data-stat=ratings]").inner_text()))
        body_total = round(_number(row.locator("td").nth(5).inner_text()) * body_ratings)

        # he rates it
        score = SCORE[width]
        page.goto(url + work)
        page.check(f"form[action='{work}rate/'] input[name=score][value='{score}']")
        page.fill(f"form[action='{work}rate/'] textarea[name=comment]", f"Оценка {width}: работы приняты.")
        with page.expect_navigation():
            page.locator(f"form[action='{work}rate/'] button[type=submit]").click()
        _said(page, "Спасибо|Thank")
        new_average, new_count = _rating(page)
        assert new_count == count + 1
        assert new_average == pytest.approx(round((total + score) / (count + 1), 2)), (average, count, new_average)
        assert new_average != pytest.approx(average) or score == average
        fits(page, "the rated work")

        # its line in the list shows the same average
        page.goto(url + f"/works/?status=completed&municipality=&q={re.sub(r'[«»]', ' ', name)[:150]}")
        line = page.locator(f"main [data-work] a[href='{work}']").locator("xpath=ancestor::li[1]")
        assert line.count() == 1, page.locator("main").inner_text()[:2000]
        stars = re.search(r"★\s*([\d,\.]+)\s*\((\d+)\)", line.inner_text())
        assert stars and _number(stars.group(1)) == pytest.approx(new_average) and int(stars.group(2)) == new_count, \
            line.inner_text()

        # the statistics by body: one more rating, its average moved; each number opens a list of as many works
        page.goto(url + "/works/statistics/")
        fits(page, "the statistics by body")
        row = _body_row(page, body)
        assert int(_number(row.locator("[data-stat=ratings]").inner_text())) == body_ratings + 1
        assert _number(row.locator("td").nth(5).inner_text()) == pytest.approx(
            round((body_total + score) / (body_ratings + 1), 2))
        where = f"#stats-bodies tbody tr[data-body='{row.get_attribute('data-body')}']"
        stats = row.locator("a[data-stat]").evaluate_all("links => links.map(a => a.dataset.stat)")
        assert {"works", "completed", "on_time", "late", "slipping", "ratings"} <= set(stats), stats
        for stat, cells in [*((stat, where) for stat in stats), ("works", "#stats-bodies tfoot tr")]:
            cell = page.locator(f"{cells} a[data-stat={stat}]")
            number = int(_number(cell.inner_text()))
            with page.expect_navigation():
                cell.click()
            # the ratings' number opens the rated works: their lines add up to it
            listed = _ratings_listed(page) if stat == "ratings" else int(
                page.locator("main [data-total]").get_attribute("data-total"))
            assert listed == number, (stat, number, listed, page.url)
            page.goto(url + "/works/statistics/")
        assert errors == [], errors
    finally:
        page.close()


@VIEWPORTS
def test_a_follower_is_told_when_the_mayor_starts_a_work(crawler, installation, viewport):
    url = installation.url
    width = viewport["width"]
    errors: list[str] = []
    mayor = crawler.context(MAYOR).new_page()
    resident = crawler.context(FOLLOWER[width]).new_page()
    for page in (mayor, resident):
        page.set_viewport_size(viewport)
        watch_errors(page, errors)
    try:
        # a planned work of Krasnodar's administration (each viewport its own)
        mayor.goto(url + "/workspace/construction/works/?status=planned")
        fits(mayor, "the mayor's works")
        # the first planned one he does not follow yet (the other run's is started already)
        planned = mayor.locator("#works-workspace tbody tr[data-work]").evaluate_all(
            "rows => rows.map(row => row.dataset.work)")
        pk = None
        for candidate in planned:
            resident.goto(url + f"/works/{candidate}/")
            if resident.locator(f"form[action='/works/{candidate}/subscribe/'] input[name=undo]").count() == 0:
                pk = candidate
                break
        assert pk, (planned, mayor.locator("main").inner_text()[:2000])
        work = f"/works/{pk}/"

        # the resident follows it
        name = resident.locator("main h1").inner_text().strip()
        followers = int(_number(resident.locator("#work-follow + p").inner_text()))
        with resident.expect_navigation():
            resident.locator(f"form[action='{work}subscribe/'] button[type=submit]").click()
        _said(resident, "сообщим|будете|told")
        assert int(_number(resident.locator("#work-follow + p").inner_text())) == followers + 1
        assert resident.locator(f"form[action='{work}subscribe/'] input[name=undo]").count() == 1
        fits(resident, "the followed work")
        resident.goto(url + "/works/subscriptions/")
        assert resident.locator(f"main a[href='{work}']").count() >= 1
        fits(resident, "the resident's subscriptions")

        # the mayor records the start
        mayor.goto(url + f"/workspace/construction/works/{pk}/edit/")
        fits(mayor, "the work's edit page")
        with mayor.expect_navigation():
            mayor.locator(f"form[action$='/works/{pk}/start/'] button[type=submit]").click()
        _said(mayor, "начат|started")
        resident.goto(url + work)
        assert re.search("Выполняется|ведутся|progress", resident.locator("main .badge").first.inner_text(), re.I), \
            resident.locator("main .badge").first.inner_text()

        for _attempt in range(90):  # the followers are told by the worker (event delivery in the background)
            resident.goto(url + "/notifications/")
            if resident.locator("main li[id^='notification-']", has_text=name[:60]).count():
                break
            time.sleep(1)
        assert resident.locator("main li[id^='notification-']", has_text=name[:60]).count() >= 1, \
            _told(installation, FOLLOWER[width])
        fits(resident, "the follower's notifications")
        assert errors == [], errors
    finally:
        mayor.close()
        resident.close()
