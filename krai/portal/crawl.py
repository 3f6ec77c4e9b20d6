"""The portal's pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/", menu=True),
    CrawlPage("/municipalities/", follow=r"^/municipalities/[\w-]+/$", expect=("map", "layers"),
              follow_expect=("map", "layers")),
    CrawlPage("/structure/", follow=r"^/structure/[\w-]+/$"),
    CrawlPage("/", login="citizen@demo.krai", menu=True),
    CrawlPage("/my/", login="citizen@demo.krai"),
]
