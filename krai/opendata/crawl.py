"""Open data's pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/opendata/", follow=r"^/opendata/\d{10,12}-[\w-]+/$"),
    # the demo's datasets (krai/opendata/demo.py): clinics have coordinates, unemployment a date and numbers
    CrawlPage("/opendata/2310463556-clinics/", click="#od-map-tab", expect=("map", "layers")),
    CrawlPage("/opendata/2312621938-unemployment/", click="#od-chart-tab", expect=("chart",)),
    CrawlPage("/opendata/2310463556-clinics/table/"),
    CrawlPage("/workspace/opendata/", login="head.health@demo.krai",
              follow=r"^/workspace/opendata/\d{10,12}-[\w-]+/$"),
]
