"""Opens a page of the installation in Chromium and lists everything a user would meet that is broken."""

from __future__ import annotations

import base64
import contextlib
import re
import time
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from krai.core.crawl import CrawlPage

PHONE = {"width": 390, "height": 844}


def totp_now(key: str) -> str:
    """The code an authenticator app shows now for a base32 key (RFC 6238, as django-otp checks it)."""
    from django_otp.oath import totp

    padded = key.replace(" ", "").upper()
    return f"{totp(base64.b32decode(padded + '=' * (-len(padded) % 8))):06d}"

def wait_for_next_code(step: int = 30) -> None:
    """Sleep until an authenticator app shows its next code (RFC 6238's time step starts)."""
    time.sleep(step - time.time() % step + 1)


DESKTOP = {"width": 1280, "height": 900}
SETTLE_MS = 15_000


class Crawler:
    """One browser context per account (logged in once through the login form), shared by the tests."""

    def __init__(self, browser, installation, app: bool = False) -> None:
        """``app``: the browsers open the installation through its balancer (``installation.front``) with service
        workers on, as an installed app does; else ``krai serve`` directly, saying they came through TLS."""
        self.browser = browser
        self.installation = installation
        self.app = app
        self.url = installation.front if app else installation.url
        self.contexts: dict[str | None, object] = {}
        self.visited: set[tuple[str | None, str]] = set()
        self.totp_keys: dict[str, str] = installation.totp_keys  # shared by every crawler of the installation

    # --- contexts -------------------------------------------------------------------------------------
    def context(self, login: str | None):
        if login not in self.contexts:
            if self.app:  # through the balancer: the service worker's own requests come through it too
                context = self.browser.new_context(locale="ru-RU", viewport=DESKTOP)
            else:
                # straight to krai serve, saying it came through TLS: a service worker's own requests (its script,
                # the pages it keeps) would not say so and be sent to https://, so workers are blocked here
                context = self.browser.new_context(locale="ru-RU", viewport=DESKTOP, service_workers="block",
                                                   extra_http_headers={"X-Forwarded-Proto": "https"})
            context.set_default_timeout(SETTLE_MS)
            if login:
                self._log_in(context, login)
            self.contexts[login] = context
        return self.contexts[login]

    def _log_in(self, context, login: str) -> None:
        """The login form; a second factor when the account has one; its set-up when the role requires one."""
        page = context.new_page()
        page.goto(self.url + "/accounts/login/")
        page.fill("input[name=username]", login)
        page.fill("input[name=password]", self.installation.password)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        if "/accounts/login/verify/" in page.url:
            self._enter_code(page, totp_now(self.totp_keys[login]))
            if "/accounts/login/verify/" in page.url:
                # another crawler of this account used this 30-second code already (a code is good once): the next
                wait_for_next_code()  # one, as a person would read it from the app
                self._enter_code(page, totp_now(self.totp_keys[login]))
        if "/accounts/two-factor/" in page.url:  # a staff role without a second factor is led to set one up
            with page.expect_navigation():
                page.locator("form[action$='/two-factor/start/'] button[type=submit]").click()
            key = page.locator("main code").first.inner_text().strip()
            self.totp_keys[login] = key
            self._enter_code(page, totp_now(key))
            assert "/accounts/two-factor/" in page.url or "/accounts/two-factor/backup-codes" in page.url, page.url
        assert "/accounts/login/" not in page.url, f"{login} could not log in: {page.url}"
        page.close()

    @staticmethod
    def _enter_code(page, code: str) -> None:
        field = page.locator("main form input:not([type=hidden])").first
        field.fill(code)
        with page.expect_navigation():
            field.press("Enter")

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()

    # --- one page ------------------------------------------------------------------------------------
    def visit(self, spec: CrawlPage, path: str | None = None, expect: tuple[str, ...] | None = None,
              viewport: dict | None = None) -> tuple[list[str], object]:
        """Open ``path`` (default: the spec's) and return the problems found, and the page (still open)."""
        path = path or spec.path
        expect = spec.expect if expect is None else expect
        context = self.context(spec.login)
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        problems: list[str] = []
        origins = self.installation.origins

        def route(route) -> None:
            url = route.request.url
            if url.startswith(origins) or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                problems.append(f"requested a host outside the installation: {url}")
                route.abort()

        def on_response(response) -> None:
            if response.status >= 400:
                problems.append(f"{response.status} for {response.url}")

        def on_failed(request) -> None:
            failure = request.failure or ""
            # a map's fetch cancelled by the next move of the map, or a tile Leaflet stops loading when the view
            # changes, is not a fault
            if "ERR_ABORTED" in failure and (request.resource_type in ("fetch", "xhr")
                                             or request.url.startswith(self.installation.tiles.origin)):
                return
            problems.append(f"{request.url} failed: {failure}")

        page.route("**/*", route)
        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
        response = page.goto(self.url + path, wait_until="load")
        if response is None or response.status >= 400:
            problems.append(f"the page answered {response.status if response else 'nothing'}")
        if "/accounts/login/" in page.url and spec.login and not path.startswith("/accounts/login"):
            problems.append(f"sent to the login form: {page.url}")
        if spec.click:
            page.click(spec.click)
        with contextlib.suppress(PlaywrightTimeout):  # a page that keeps polling still gets its checks
            page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
        for check in expect:
            problems.extend(CHECKS[check](page, self.installation))
        return problems, page

    def links(self, page, pattern: str | None = None, selector: str = "a[href]") -> list[str]:
        """Paths (with query) of the installation's links on the page, in page order, once each."""
        hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.href)")
        base = self.url
        seen: list[str] = []
        for href in hrefs:
            if not href.startswith(base):
                continue
            parts = urlsplit(href)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if pattern and not re.search(pattern, parts.path):
                continue
            if path not in seen:
                seen.append(path)
        return seen


# --- what must work on a page ---------------------------------------------------------------------------

def _map(page, installation) -> list[str]:
    if page.locator(".leaflet-container").count() == 0:
        return ["no Leaflet map on the page"]
    try:
        page.wait_for_selector("img.leaflet-tile-loaded", timeout=SETTLE_MS)
    except PlaywrightTimeout:
        return ["the map shows no tile from the configured tile server"]
    return []


def _markers(page, installation) -> list[str]:
    try:
        page.wait_for_selector("img.leaflet-marker-icon", timeout=SETTLE_MS)
    except PlaywrightTimeout:
        return ["the map shows no marker"]
    broken = page.eval_on_selector_all(
        "img.leaflet-marker-icon, img.leaflet-marker-shadow",
        "els => els.filter(e => !(e.complete && e.naturalWidth > 0)).map(e => e.src)")
    return [f"broken marker image: {src}" for src in broken]


def _layers(page, installation) -> list[str]:
    """Something drawn on the map from the installation's data: shapes, circles, markers or clusters."""
    try:
        page.wait_for_selector(".leaflet-overlay-pane path, .leaflet-marker-pane > *", timeout=SETTLE_MS)
    except PlaywrightTimeout:
        return ["the map shows none of its data"]
    return []


def _chart(page, installation) -> list[str]:
    try:
        page.wait_for_selector("[_echarts_instance_] canvas, [_echarts_instance_] svg", timeout=SETTLE_MS)
    except PlaywrightTimeout:
        return ["no chart was drawn"]
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('[_echarts_instance_]')).map(el => {
        const chart = echarts.getInstanceByDom(el);
        const series = (chart && chart.getOption().series) || [];
        const drawing = el.querySelector('canvas, svg');
        return {id: el.id, points: series.reduce((n, s) => n + ((s.data || []).length), 0),
                width: drawing ? drawing.getBoundingClientRect().width : 0};
    })""")
    return [f"chart #{c['id']} has no data or no size: {c}" for c in drawn if not c["points"] or not c["width"]]


def _swagger(page, installation) -> list[str]:
    try:
        page.wait_for_selector(".swagger-ui .info .title", timeout=SETTLE_MS)
        page.wait_for_selector(".swagger-ui .opblock", timeout=SETTLE_MS)
    except PlaywrightTimeout:
        return ["Swagger UI drew no API description"]
    return []


CHECKS = {"map": _map, "layers": _layers, "markers": _markers, "chart": _chart, "swagger": _swagger}


# --- shared by the journeys ----------------------------------------------------------------------------
def fits(page, where: str) -> None:
    """The page is no wider than the screen (a phone never scrolls sideways)."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)""")
        raise AssertionError(f"{where}: the page is {overflow}px wider than the screen ({', '.join(wide)})")


def watch_errors(page, errors: list[str] | None = None, ignore: tuple[str, ...] = ()) -> list[str]:
    """Script errors and console errors of ``page`` from now on, collected into ``errors`` (a new list by default)
    and returned; console lines containing any of ``ignore`` are the browser's own (a refused form's 400)."""
    errors = [] if errors is None else errors
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not any(text in msg.text for text in ignore) else None)
    return errors
