"""Accounts' pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/accounts/login/"),
    CrawlPage("/accounts/register/"),
    CrawlPage("/accounts/password/reset/"),
    CrawlPage("/accounts/profile/", login="citizen@demo.krai"),
    CrawlPage("/accounts/two-factor/", login="citizen@demo.krai"),
    CrawlPage("/accounts/tokens/", login="citizen@demo.krai"),
    CrawlPage("/accounts/password/change/", login="citizen@demo.krai"),
    CrawlPage("/accounts/profile/residence/", login="citizen@demo.krai"),
    # the Department of Control decides on residences region-wide (a mayor within his municipality)
    CrawlPage("/accounts/residence/", login="controller@demo.krai"),
]
