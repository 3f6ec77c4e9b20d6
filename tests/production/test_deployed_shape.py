"""The deployed shape, crawled: every area's pages (krai/<area>/crawl.py) open in Chromium without a failed page
or asset, without a request outside the installation, without a console error; maps show tiles and markers,
charts draw. Then the response headers a security officer checks first."""

from __future__ import annotations

import pytest

from krai.core.crawl import all_pages

from .crawler import PHONE, Crawler

pytestmark = [pytest.mark.production, pytest.mark.browser]

PAGES = all_pages()


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


@pytest.mark.parametrize("spec", PAGES, ids=[spec.label for spec in PAGES])
def test_page_works_in_the_deployed_shape(crawler, spec):
    problems, page = crawler.visit(spec)
    report = {spec.path: problems}
    try:
        if spec.follow:
            chain = (spec.follow,) if isinstance(spec.follow, str) else spec.follow
            current = page
            for step, pattern in enumerate(chain, start=1):
                last = step == len(chain)
                # a chain takes the first item that leads on (e.g. the first poll that shows its results)
                targets = crawler.links(current, pattern)[:1 if last else 5]
                following = None
                for target in targets:
                    found, following = crawler.visit(spec, target, expect=spec.follow_expect if last else ())
                    report[target] = found
                    if last or crawler.links(following, chain[step]):
                        break
                    following.close()
                    following = None
                    del report[target]
                if following is None:
                    report.setdefault(current.url, []).append(f"no link matching {pattern} that leads on")
                    break
                if current is not page:
                    current.close()
                current = following
            if current is not page:
                current.close()
        if spec.menu:
            for path in crawler.links(page, selector="header a[href]"):
                if (spec.login, path) in crawler.visited or path.startswith(("/accounts/logout", "/i18n/")):
                    continue
                crawler.visited.add((spec.login, path))
                found, other = crawler.visit(spec, path, expect=())
                report[f"menu link {path}"] = found
                other.close()
    finally:
        page.close()
    failures = {path: found for path, found in report.items() if found}
    assert not failures, failures


@pytest.mark.parametrize("spec", [p for p in PAGES if "map" in p.expect or "chart" in p.expect][:4],
                         ids=lambda spec: spec.label)
def test_maps_and_charts_work_on_a_phone(crawler, spec):
    problems, page = crawler.visit(spec, viewport=PHONE)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    page.close()
    assert not problems, problems
    assert overflow <= 1, f"the page is {overflow}px wider than a phone's screen"


HTTPS = {"X-Forwarded-Proto": "https"}


def test_security_headers_of_the_deployed_shape(installation):
    answer = installation.get("/", HTTPS)
    assert answer.status == 200
    headers = answer.headers
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'", policy  # no inline script, no eval
    assert installation.tiles.origin in policy["img-src"], policy  # the configured tile server, and no other host
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    # plain HTTP is sent to HTTPS; the balancer's and Prometheus' probes are not
    plain = installation.get("/problems/")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://127.0.0.1:")
    assert installation.get("/healthz").status == 200


def test_cookies_are_secure_and_http_only(crawler):
    context = crawler.context("citizen@demo.krai")
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert {"sessionid", "csrftoken"} <= set(cookies), cookies
    for name in ("sessionid", "csrftoken"):
        assert cookies[name]["secure"] and cookies[name]["httpOnly"], cookies[name]
        assert cookies[name]["sameSite"] == "Lax", cookies[name]


def test_static_files_are_hashed_and_cached_for_ever(installation):
    page = installation.get("/", HTTPS).read().decode()
    import re

    css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
    assert css, "the layout does not name its stylesheet by a hashed name"
    answer = installation.get(css.group(1), HTTPS)
    assert answer.status == 200
    assert "max-age=315360000" in answer.headers["Cache-Control"] and "immutable" in answer.headers["Cache-Control"]
