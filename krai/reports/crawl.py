"""The reports' pages in the production-shape crawl: the governor's templates (one followed to its page with its
editions), the new template's form, and the portal's published reports (anonymous). An edition's PDF and XLSX are
files, not pages: the tests read them."""

from krai.core.crawl import CrawlPage

GOVERNOR = "governor@demo.krai"

PAGES = [
    CrawlPage("/workspace/reports/", login=GOVERNOR, follow=r"^/workspace/reports/\d+/$"),
    CrawlPage("/workspace/reports/new/", login=GOVERNOR),
    CrawlPage("/reports/"),
]
