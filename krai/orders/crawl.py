"""Orders' pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/orders/", login="head.health@demo.krai", follow=r"^/workspace/orders/control/\d+/$"),
    CrawlPage("/workspace/orders/?list=all", login="exec1.unit1.health@demo.krai",
              follow=r"^/workspace/orders/control/\d+/$"),
    CrawlPage("/workspace/orders/?list=all", login="governor@demo.krai", follow=r"^/workspace/orders/control/\d+/$"),
    CrawlPage("/workspace/orders/new/", login="governor@demo.krai"),
    CrawlPage("/workspace/orders/dashboard/", login="governor@demo.krai", expect=("chart",)),
    CrawlPage("/workspace/orders/dashboard/", login="vice.social@demo.krai", expect=("chart",)),
    CrawlPage("/workspace/orders/dashboard/", login="head.health@demo.krai", expect=("chart",)),
]
