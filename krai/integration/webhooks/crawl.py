"""Webhooks' pages in the production-shape crawl (the administrator): the endpoints with an endpoint's page followed
from the list (and its edit form from there), the new endpoint's form, and the dead letters with a delivery and its
attempts followed from them."""

from krai.core.crawl import CrawlPage

ADMIN = "admin@demo.krai"

PAGES = [
    CrawlPage("/workspace/integration/webhooks/", login=ADMIN,
              follow=(r"^/workspace/integration/webhooks/\d+/$", r"^/workspace/integration/webhooks/\d+/edit/$")),
    CrawlPage("/workspace/integration/webhooks/new/", login=ADMIN),
    CrawlPage("/workspace/integration/webhooks/dead/", login=ADMIN,
              follow=r"^/workspace/integration/webhooks/deliveries/\d+/$"),
]
