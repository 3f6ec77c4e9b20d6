"""The indicators monitor's pages in the production-shape crawl: the deviation table, an indicator with its chart
(followed from the table), the reports and a report."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/monitoring/indicators/", login="head.health@demo.krai",
              follow=r"^/workspace/monitoring/indicators/i/[\w-]+/$", follow_expect=("chart",)),
    CrawlPage("/workspace/monitoring/indicators/reports/", login="head.health@demo.krai",
              follow=r"^/workspace/monitoring/indicators/reports/\d+/$"),
]
