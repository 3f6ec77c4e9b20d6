"""Administration's pages in the production-shape crawl: access management (the people list with a person followed,
then the review of his organisation or of him; the review's start), the temporary deputies (the list with a
deputyship followed, the appointment form, the deputy's own switch page and the workspace with his banner), and
employee efficiency (this year's units, the busiest first, with a unit followed, then a person of it; last month's
with a unit, then a drill-down list). Downloads (CSV, XLSX) are files, not pages."""

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
    CrawlPage("/workspace/administration/efficiency/?preset=this_year&sort=closed", login=ADMIN,
              follow=(UNIT, r"^/workspace/administration/efficiency/people/\d+/")),
    CrawlPage("/workspace/administration/efficiency/", login=HEAD,
              follow=(UNIT, r"^/workspace/administration/efficiency/items/")),
]
