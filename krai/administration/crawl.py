"""Administration's pages in the production-shape crawl: access management (the people list with a person followed,
then the review of his organisation or of him; the review's start), the temporary deputies (the list with a
deputyship followed, the appointment form, the deputy's own switch page and the workspace with his banner), and
employee efficiency (the units with a unit followed, then a drill-down list; a person's page is reached only
where the demo's period has work executed by named people, so the browser tests check it instead). Downloads (CSV,
XLSX) are files, not pages."""

from krai.core.crawl import CrawlPage

ADMIN = "admin@demo.krai"
HEAD = "head.health@demo.krai"  # a department's head reads his own units' efficiency
DEPUTY = "deputy.education@demo.krai"  # acting for the head of the education department in the demo
PERSON = r"^/workspace/administration/people/\d+/$"
UNIT = r"^/workspace/administration/efficiency/units/\d+/"

PAGES = [
    # access management
    CrawlPage("/workspace/administration/?role=head", login=ADMIN,
              follow=(PERSON, r"^/workspace/administration/review/(organisations|municipalities|blocks)/\d+/$")),
    CrawlPage("/workspace/administration/", login=ADMIN,
              follow=(PERSON, r"^/workspace/administration/review/people/\d+/$")),
    CrawlPage("/workspace/administration/review/", login=ADMIN),
    # temporary deputies
    CrawlPage("/workspace/administration/deputies/", login=ADMIN, follow=r"^/workspace/administration/deputies/\d+/$"),
    CrawlPage("/workspace/administration/deputies/new/", login=ADMIN),
    CrawlPage("/accounts/acting/", login=DEPUTY),
    CrawlPage("/workspace/", login=DEPUTY),
    # employee efficiency
    CrawlPage("/workspace/administration/efficiency/", login=ADMIN, follow=UNIT),
    CrawlPage("/workspace/administration/efficiency/", login=HEAD,
              follow=(UNIT, r"^/workspace/administration/efficiency/items/")),
]
