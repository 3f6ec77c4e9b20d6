"""Construction's pages in the production-shape crawl: the registry (anonymous, a resident, the keeper with an
object's edit form) with an object followed from its map's table; the verification requests (the list, an answered
one, the form, the resident's own) and the inspection body's queue with an inspection form followed from it; the
illegal constructions with a card, the report's form, the keeper's entry, edit and measure forms, and the kernel's
import page for them; "Find out" about works with a card, the statistics, a resident's subscriptions, and the
municipality's workspace list with a work's edit form. Downloads (CSV, XLSX, PDF, GeoJSON) are files, not pages."""

from krai.core.crawl import CrawlPage

CITIZEN = "citizen@demo.krai"
KEEPER = "controller@demo.krai"  # controllers keep the registries
INSPECTOR = "head.construction-supervision@demo.krai"  # the inspection body answers the requests
MAYOR = "mayor.krasnodar@demo.krai"  # the municipal administration enters and moves its works
OBJECT = r"^/construction/objects/\d+/$"
REQUEST = r"^/construction/requests/\d+/$"
ILLEGAL = r"^/construction/illegal/\d+/$"
WORK = r"^/works/\d+/$"

PAGES = [
    # the registry
    CrawlPage("/construction/", follow=OBJECT),
    CrawlPage("/construction/?page=2", login=CITIZEN, follow=OBJECT),
    CrawlPage("/construction/", login=KEEPER, follow=(OBJECT, r"^/workspace/construction/objects/\d+/edit/$")),
    CrawlPage("/workspace/construction/objects/new/", login=KEEPER),
    # verification requests
    CrawlPage("/construction/requests/", follow=REQUEST),
    CrawlPage("/construction/requests/?status=resolved", follow=REQUEST),
    CrawlPage("/construction/requests/new/", login=CITIZEN),
    CrawlPage("/construction/requests/mine/", login=CITIZEN),
    CrawlPage("/workspace/construction/", login=INSPECTOR, follow=r"^/workspace/construction/requests/\d+/inspect/$"),
    CrawlPage("/workspace/construction/", login=KEEPER),
    # illegal constructions
    CrawlPage("/construction/illegal/", follow=ILLEGAL),
    CrawlPage("/construction/illegal/report/"),
    CrawlPage("/construction/illegal/", login=KEEPER, follow=(ILLEGAL, r"^/workspace/construction/illegal/\d+/edit/$")),
    CrawlPage("/construction/illegal/", login=KEEPER,
              follow=(ILLEGAL, r"^/workspace/construction/illegal/\d+/measures/new/$")),
    CrawlPage("/workspace/construction/illegal/new/", login=INSPECTOR),
    CrawlPage("/workspace/imports/new/construction.illegal/", login=KEEPER),
    # "Find out" about works
    CrawlPage("/works/", follow=WORK),
    CrawlPage("/works/?status=completed", login=CITIZEN, follow=WORK),
    CrawlPage("/works/statistics/"),
    CrawlPage("/works/subscriptions/", login=CITIZEN),
    CrawlPage("/workspace/construction/works/", login=MAYOR, follow=r"^/workspace/construction/works/\d+/edit/$"),
    CrawlPage("/workspace/construction/works/new/", login=MAYOR),
]
