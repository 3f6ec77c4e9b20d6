"""The projects area's pages in the production-shape crawl: the list, a programme, a project's plan (followed
to an item), its roadmap with the chart, its card, baselines, risks and reports."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/workspace/projects/", login="governor@demo.krai", menu=True,
              follow=(r"^/workspace/projects/g/[\w-]+/$",)),
    CrawlPage("/workspace/projects/", login="head.health@demo.krai",
              follow=(r"^/workspace/projects/p/[\w-]+/$", r"^/workspace/projects/p/[\w-]+/items/\d+/$")),
    CrawlPage("/workspace/projects/", login="controller@demo.krai",
              follow=(r"^/workspace/projects/p/[\w-]+/$", r"^/workspace/projects/p/[\w-]+/card/$")),
    CrawlPage("/workspace/projects/", login="head.health@demo.krai",
              follow=(r"^/workspace/projects/p/[\w-]+/$", r"^/workspace/projects/p/[\w-]+/baselines/$")),
    CrawlPage("/workspace/projects/", login="governor@demo.krai",
              follow=(r"^/workspace/projects/p/[\w-]+/$", r"^/workspace/projects/p/[\w-]+/risks/$")),
    CrawlPage("/workspace/projects/", login="governor@demo.krai",
              follow=(r"^/workspace/projects/p/[\w-]+/$", r"^/workspace/projects/p/[\w-]+/reports/$")),
    CrawlPage("/workspace/projects/", login="head.health@demo.krai",
              follow=(r"^/workspace/projects/p/[\w-]+/$", r"^/workspace/projects/p/[\w-]+/gantt/$")),
]
