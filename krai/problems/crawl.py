"""Citizens' problems' pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/problems/", follow=r"^/problems/\d+/$", expect=("map", "layers"), follow_expect=("map", "markers")),
    CrawlPage("/problems/new/", login="citizen@demo.krai", expect=("map",)),
    CrawlPage("/problems/mine/", login="citizen@demo.krai"),
    CrawlPage("/workspace/problems/", login="head.housing-inspection@demo.krai",
              follow=r"^/workspace/problems/\d+/$"),
    CrawlPage("/workspace/problems/", login="governor@demo.krai", follow=r"^/workspace/problems/\d+/$"),
    CrawlPage("/workspace/problems/statistics/", login="governor@demo.krai"),
    CrawlPage("/workspace/problems/moderation/", login="controller@demo.krai"),
    CrawlPage("/open311/v2/services.json"),
]
