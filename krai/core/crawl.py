"""The production-shape page list: what the deployed-shape job (tests/production/) opens in Chromium.

Every area declares its pages in a module ``krai/<area>/crawl.py`` with ``PAGES = [CrawlPage(...), ...]``; the job
collects them from every installed Krai app, so a new area's pages join the crawl by adding that module. A page
is opened as the demo account named by ``login`` (None: anonymous); every page and every asset it loads must
answer 2xx/3xx from the installation itself, with no console error.

- ``follow``: a link pattern; the first link on the page whose path matches it is crawled too (a list reaches its
  items) and checked for ``follow_expect``; a tuple of patterns follows a chain (a list, an item, its results).
- ``expect``: what must work there: ``"map"`` (a Leaflet map with its tiles), ``"layers"`` (its data drawn on
  it), ``"markers"`` (marker images that loaded), ``"chart"`` (an ECharts chart with data), ``"swagger"`` (the
  API docs drawn).
- ``click``: pressed before the checks (e.g. a tab that draws a chart when shown).
- ``menu``: every link of the page's header menu is opened too, and none may lead to a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class CrawlPage:
    path: str
    login: str | None = None
    follow: str | tuple[str, ...] | None = None
    expect: tuple[str, ...] = ()
    follow_expect: tuple[str, ...] = ()
    click: str | None = None
    menu: bool = False

    @property
    def label(self) -> str:
        return f"{self.path} as {self.login or 'anonymous'}"


def all_pages() -> list[CrawlPage]:
    """Every installed Krai app's ``crawl.PAGES``, in the order of INSTALLED_APPS."""
    pages: list[CrawlPage] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("krai."):
            continue
        try:
            module = import_module(f"{config.name}.crawl")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.crawl":
                raise
            continue
        pages.extend(module.PAGES)
    return pages


#: the kernel's own pages (search, notifications, the calendar, the audit trail, the API docs)
PAGES = [
    CrawlPage("/search/?q=%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B0"),
    CrawlPage("/api/docs/", expect=("swagger",)),
    CrawlPage("/notifications/", login="citizen@demo.krai"),
    CrawlPage("/notifications/preferences/", login="citizen@demo.krai"),
    CrawlPage("/notifications/devices/", login="citizen@demo.krai"),
    CrawlPage("/notifications/devices/", login="exec1.unit1.health@demo.krai"),
    CrawlPage("/workspace/calendar/", login="exec1.unit1.health@demo.krai"),
    CrawlPage("/admin/", login="admin@demo.krai"),
    CrawlPage("/workspace/audit/", login="controller@demo.krai"),
    CrawlPage("/workspace/imports/", login="head.health@demo.krai"),
    CrawlPage("/offline/"),  # what the installed app shows for a page it has not kept, without a connection
]
