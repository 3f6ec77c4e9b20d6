"""Staffing's pages in the production-shape crawl."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/monitoring/staffing/", login="head.health@demo.krai", expect=("chart",),
              follow=r"^/workspace/monitoring/staffing/organisations/[\w-]+/$"),
    CrawlPage("/workspace/monitoring/staffing/?block=social", login="governor@demo.krai", expect=("chart",)),
    CrawlPage("/structure/health/"),
]
