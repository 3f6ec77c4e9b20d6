"""A feed's entries (feedparser reads RSS 0.9x–2.0 and Atom alike) and an article's main text (trafilatura).

A feed feedparser cannot read (``bozo`` with no usable entry) is an error of the source; a feed with a flaw it
recovered from (a stray character, a wrong encoding declared) is read. An entry's text is its full content when
the feed carries it; when it gives only a summary shorter than ``SUMMARY_ENOUGH`` characters the article's page
is fetched and its main text extracted (when the source and ``KRAI_PRESS_FETCH_PAGES`` allow it).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import feedparser
import lxml.html
from django.conf import settings
from django.utils import timezone

from krai.monitoring.media import fetch

SUMMARY_ENOUGH = 600  # characters: a summary this long is taken as the text


@dataclass
class Entry:
    url: str
    guid: str
    title: str
    summary: str
    content: str
    published_at: dt.datetime


def plain(html: str) -> str:
    """Text of an HTML fragment (a feed's summary or content)."""
    html = (html or "").strip()
    if not html:
        return ""
    if "<" not in html:
        return " ".join(html.split())
    try:
        return " ".join(lxml.html.fromstring(html).text_content().split())
    except (ValueError, lxml.etree.ParserError):
        return " ".join(html.split())


def _when(entry, now: dt.datetime) -> dt.datetime:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            moment = dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
            return min(moment, now)  # a date in the future is a feed's mistake: not later than now
    return now


def parse(body: bytes, *, now: dt.datetime | None = None) -> tuple[str, list[Entry]]:
    """The feed's title and entries; ``FetchError`` when it is not a feed."""
    now = now or timezone.now()
    parsed = feedparser.parse(body)
    entries = []
    for item in parsed.entries:
        url = (item.get("link") or "").strip()
        title = plain(item.get("title", ""))
        if not url or not url.startswith(("http://", "https://")) or not title:
            continue
        content = " ".join(plain(part.get("value", "")) for part in item.get("content", []) or []).strip()
        entries.append(Entry(url=url, guid=(item.get("id") or "")[:500], title=title[:500],
                             summary=plain(item.get("summary", "")), content=content, published_at=_when(item, now)))
    if not entries and (parsed.bozo or not parsed.feed):  # nothing usable read from a flawed document
        raise fetch.FetchError(f"not a feed: {parsed.get('bozo_exception', '')}"[:500])
    return plain(parsed.feed.get("title", "")), entries


def fetch_pages_enabled() -> bool:
    return bool(getattr(settings, "KRAI_PRESS_FETCH_PAGES", True))


def page_text(url: str) -> str:
    """The main text of the page at ``url`` (trafilatura), "" when it cannot be read or has none."""
    import trafilatura

    try:
        page = fetch.get(url)
    except fetch.FetchError:
        return ""
    html = page.body.decode("utf-8", errors="replace") if page.body else ""
    if not html:
        return ""
    return (trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                favor_precision=True) or "").strip()


def page_article(url: str, body: bytes) -> tuple[str, str]:
    """A site page read as one article: its (title, main text)."""
    import trafilatura

    document = trafilatura.bare_extraction(body.decode("utf-8", errors="replace"), url=url, with_metadata=True,
                                           include_comments=False, favor_precision=True)
    if document is None:
        return "", ""
    return (getattr(document, "title", "") or "").strip(), (getattr(document, "text", "") or "").strip()
