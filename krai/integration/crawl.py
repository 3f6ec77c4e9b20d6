"""Integration's pages in the production-shape crawl, as the administrator: the section's start page, the registered
systems with a system's page followed from the list (and its edit form), the registration form, the exchange log
(all of it, and refused messages) with a message followed from it."""

from krai.core.crawl import CrawlPage

ADMIN = "admin@demo.krai"
SYSTEM = r"^/workspace/integration/systems/(?!new/)[\w-]+/$"
EDIT = r"^/workspace/integration/systems/[\w-]+/edit/$"
MESSAGE = r"^/workspace/integration/log/\d+/$"

PAGES = [
    CrawlPage("/workspace/integration/", login=ADMIN),
    CrawlPage("/workspace/integration/systems/", login=ADMIN, follow=SYSTEM),
    CrawlPage("/workspace/integration/systems/", login=ADMIN, follow=(SYSTEM, EDIT)),
    CrawlPage("/workspace/integration/systems/new/", login=ADMIN),
    CrawlPage("/workspace/integration/log/", login=ADMIN, follow=MESSAGE),
    CrawlPage("/workspace/integration/log/?status=refused", login=ADMIN, follow=MESSAGE),
    CrawlPage("/workspace/integration/log/", login="controller@demo.krai"),
]
