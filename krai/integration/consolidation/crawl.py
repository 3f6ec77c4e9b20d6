"""Consolidation's pages in the production-shape crawl, as a controller of the Department of Control: the start
page (the demo installation receives two vice-governors' installations) and the consolidated list, whole and
filtered to the overdue. Its rows link to the orders on their own installations, so none is followed."""

from krai.core.crawl import CrawlPage

CONTROLLER = "controller@demo.krai"

PAGES = [
    CrawlPage("/workspace/integration/consolidation/", login=CONTROLLER),
    CrawlPage("/workspace/integration/consolidation/orders/", login=CONTROLLER),
    CrawlPage("/workspace/integration/consolidation/orders/?overdue=1&source=vice-social", login=CONTROLLER),
]
