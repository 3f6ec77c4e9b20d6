"""Open data's pages in the production-shape crawl (see krai/core/crawl.py)."""

from krai.core.crawl import CrawlPage

PAGES = [
    CrawlPage("/opendata/", follow=r"^/opendata/\d{10,12}-[\w-]+/$"),
    CrawlPage("/opendata/?subject=health"),
    # the demo's datasets (krai/opendata/demo.py): clinics have coordinates, unemployment a date and numbers
    CrawlPage("/opendata/2310463556-clinics/", click="#od-map-tab", expect=("map", "layers")),
    CrawlPage("/opendata/2312621938-unemployment/", click="#od-chart-tab", expect=("chart",)),
    CrawlPage("/opendata/2310463556-clinics/table/"),
    # a view of a table in the URL (filtered, sorted, a later page) opens on the table
    CrawlPage("/opendata/2310463556-clinics/?sort=-name&page=2&tab=table"),
    # the live datasets of participation (krai/opendata/live.py), built from the demo's ranks
    CrawlPage("/opendata/2308305175-service-ratings/", click="#od-chart-tab", expect=("chart",)),
    CrawlPage("/opendata/2308305175-priority-ranks/", click="#od-chart-tab", expect=("chart",)),
    CrawlPage("/workspace/opendata/", login="head.health@demo.krai",
              follow=(r"^/workspace/opendata/\d{10,12}-[\w-]+/$", r"^/workspace/imports/new/opendata\.version/")),
]
