"""Lawsuits' pages in the production-shape crawl."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/monitoring/lawsuits/", login="head.health@demo.krai",
              follow=r"^/workspace/monitoring/lawsuits/cases/\d+/$"),
    CrawlPage("/workspace/monitoring/lawsuits/calendar/", login="exec1.unit1.health@demo.krai",
              follow=r"^/workspace/monitoring/lawsuits/cases/\d+/$"),
]
