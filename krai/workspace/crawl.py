"""The workspace's own pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/", login="governor@demo.krai", menu=True),
    CrawlPage("/workspace/", login="vice.social@demo.krai", menu=True),
    CrawlPage("/workspace/", login="head.health@demo.krai", menu=True),
    CrawlPage("/workspace/", login="exec1.unit1.health@demo.krai", menu=True),
    CrawlPage("/workspace/", login="controller@demo.krai", menu=True),
    CrawlPage("/workspace/structure/", login="head.health@demo.krai", follow=r"^/workspace/structure/\d+/$"),
]
