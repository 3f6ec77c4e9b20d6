"""Monitoring's overview in the production-shape crawl (each monitor lists its own pages)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/monitoring/", login="head.health@demo.krai"),
]
