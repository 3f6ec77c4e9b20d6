"""Document flow's pages in the production-shape crawl, as the Department of Control's controller: the packages
received with a package followed from the list (its items → orders and the answers), the refused ones, and the
upload form. Downloads (CSV, XLSX) are files, not pages."""

from krai.core.crawl import CrawlPage

CONTROLLER = "controller@demo.krai"
ADMIN = "admin@demo.krai"
PACKAGE = r"^/workspace/integration/docflow/packages/\d+/$"

PAGES = [
    CrawlPage("/workspace/integration/docflow/", login=CONTROLLER, follow=PACKAGE),
    CrawlPage("/workspace/integration/docflow/?status=refused", login=CONTROLLER, follow=PACKAGE),
    CrawlPage("/workspace/integration/docflow/upload/", login=CONTROLLER),
    CrawlPage("/workspace/integration/docflow/channels/", login=ADMIN,
              follow=r"^/workspace/integration/docflow/channels/\d+/$"),
]
