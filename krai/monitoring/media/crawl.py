"""Media monitoring's pages in the production-shape crawl."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/monitoring/media/", login="head.control@demo.krai",
              follow=r"^/workspace/monitoring/media/stories/\d+/$"),
    CrawlPage("/workspace/monitoring/media/topics/", login="head.control@demo.krai",
              follow=r"^/workspace/monitoring/media/topics/\d+/$"),
    CrawlPage("/workspace/monitoring/media/alerts/", login="head.health@demo.krai"),
    CrawlPage("/workspace/monitoring/media/sources/", login="head.control@demo.krai",
              follow=r"^/workspace/monitoring/media/sources/\d+/$"),
]
