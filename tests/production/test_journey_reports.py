"""Periodic reports in the deployed shape (the demo's two templates, ``krai/reports/demo.py``):

- the governor opens his reports (on a desktop and on a phone, where the page never scrolls sideways), the weekly
  template's page lists its edition, he generates it again and the worker (``krai serve``'s Huey) makes it ready;
  its PDF is a PDF;
- a resident, signed out, finds the monthly report on the portal and downloads its workbook; the weekly one
  (workspace only) is not there, and its files answer 404;
- a program with the governor's token lists the templates and editions and downloads a PDF through the balancer;
  a token without ``reports:write`` cannot generate.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production]

GOVERNOR = "governor@demo.krai"
WEEKLY, MONTHLY = "Еженедельная сводка", "Ежемесячный доклад для жителей"
TOKENS = r"""
import json
from krai.accounts.services.tokens import token_create
from krai.org.models import User

governor = User.objects.get(email={login!r})
full = token_create(actor=governor, user=governor, name="Проверка отчётов", scopes=["read", "write", "reports:write"])
bare = token_create(actor=governor, user=governor, name="Проверка отчётов: чтение", scopes=["read", "write"])
print(json.dumps({{"full": full.key, "bare": bare.key}}))
"""


@pytest.fixture(scope="module")
def governor(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler.context(GOVERNOR)
    crawler.close()


def _call(installation, token: str, method: str, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(installation.front + path, method=method, headers={  # noqa: S310
        "Authorization": f"Bearer {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — our own installation
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_governor_generates_a_report_and_downloads_it(governor, installation, viewport):
    page = governor.new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        response = page.goto(installation.url + "/workspace/reports/")
        assert response is not None and response.status == 200
        assert WEEKLY in page.content() and MONTHLY in page.content()
        fits(page, "the reports")
        with page.expect_navigation():
            page.locator("#krai-reports-table a", has_text=WEEKLY).click()
        assert re.search(r"/workspace/reports/\d+/$", page.url), page.url
        assert page.locator("#krai-editions-table a", has_text="PDF").count() >= 1
        fits(page, "the template")
        with page.expect_navigation():
            page.click("#krai-report-generate")
        for _attempt in range(60):  # the worker makes it; the page says so when it is ready
            if page.locator("#krai-editions-table .text-bg-success").count() >= 1 and \
                    page.locator("#krai-editions-table .text-bg-secondary").count() == 0:
                break
            time.sleep(1)
            page.reload()
        else:
            raise AssertionError("the edition was not made ready by the worker")
        link = page.locator("#krai-editions-table a", has_text="PDF").first.get_attribute("href")
        pdf = page.request.get(installation.url + link)
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        assert not errors, errors
    finally:
        page.close()


def test_residents_find_the_published_report_only(installation):
    # through the balancer (it says the request came by TLS; straight to krai serve a visitor is sent to https)
    with urllib.request.urlopen(installation.front + "/reports/", timeout=60) as answer:  # noqa: S310
        html = answer.read().decode()
    assert MONTHLY in html and WEEKLY not in html
    link = re.search(r'href="(/reports/\d+/xlsx/)"', html).group(1)
    with urllib.request.urlopen(installation.front + link, timeout=60) as answer:  # noqa: S310
        assert answer.read().startswith(b"PK")  # a workbook is a ZIP


def test_the_reports_through_the_api(installation):
    answer = installation.krai("shell", "-c", TOKENS.format(login=GOVERNOR))
    assert answer.returncode == 0, answer.stderr[-2000:]
    tokens = json.loads(answer.stdout.strip().splitlines()[-1])
    status, body = _call(installation, tokens["full"], "GET", "/api/v1/reports/templates/")
    assert status == 200
    templates = {t["title"]: t for t in json.loads(body)}
    weekly = next(t for title, t in templates.items() if title.startswith(WEEKLY))
    status, body = _call(installation, tokens["full"], "GET", f"/api/v1/reports/editions/?template={weekly['id']}")
    assert status == 200
    edition = next(e for e in json.loads(body)["results"] if e["status"] == "done")
    assert edition["published"] is False
    status, body = _call(installation, tokens["full"], "GET", edition["pdf"])
    assert status == 200 and body.startswith(b"%PDF")
    status, body = _call(installation, tokens["bare"], "POST", f"/api/v1/reports/templates/{weekly['id']}/generate/")
    assert status == 403 and b"reports:write" in body
    # not published: nobody else reads it
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(installation.front + f"/reports/{edition['id']}/pdf/", timeout=60)  # noqa: S310
    assert refused.value.code == 404
