"""Participation's pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/polls/", follow=r"^/polls/\d+/$"),
    CrawlPage("/polls/", follow=(r"^/polls/\d+/$", r"^/polls/\d+/results/$"), follow_expect=("chart",)),
    CrawlPage("/priorities/", login="citizen@demo.krai"),
    CrawlPage("/priorities/ranks/"),
    CrawlPage("/services/", follow=r"^/services/\d+/$", follow_expect=("chart",)),
    CrawlPage("/services/ranks/"),
    CrawlPage("/ideas/", follow=r"^/ideas/(campaigns/)?\d+/$"),
    CrawlPage("/workspace/participation/", login="vice.social@demo.krai", menu=True),
    CrawlPage("/workspace/participation/polls/", login="vice.social@demo.krai",
              follow=r"^/workspace/participation/polls/\d+/$"),
    CrawlPage("/workspace/participation/ideas/", login="vice.social@demo.krai"),
    CrawlPage("/suggest/", login="citizen@demo.krai"),
    CrawlPage("/workspace/participation/suggestions/", login="controller@demo.krai",
              follow=r"^/workspace/participation/suggestions/\d+/$"),
]
