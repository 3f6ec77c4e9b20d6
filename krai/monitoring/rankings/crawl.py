"""The rankings monitor's pages in the production-shape crawl: the list, a rating (its charts) and an edition."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/monitoring/rankings/", login="head.health@demo.krai",
              follow=r"^/workspace/monitoring/rankings/[a-z0-9-]+/$", follow_expect=("chart",)),
    CrawlPage("/workspace/monitoring/rankings/healthcare/", login="head.health@demo.krai", expect=("chart",),
              follow=r"^/workspace/monitoring/rankings/healthcare/editions/\d+/$"),
    CrawlPage("/workspace/monitoring/rankings/healthcare/editions/new/", login="head.health@demo.krai"),
]
