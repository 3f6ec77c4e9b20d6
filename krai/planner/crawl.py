"""The planner's pages in the production-shape crawl: my day of a department's head (an assignment
of his followed to its page) and of an executor, the calendar of a department's head (with an entry of his followed
to its page — the demo plans his week) and of an executor, the new entry's form, and what the head gave
(an order followed to its page); the calendar feeds and the .ics import, and voice orders (the devices that receive
push are the kernel's page, ``krai/core/crawl.py``). The feed itself (``/planner/feed/<token>.ics``) is a calendar
file, not a page: the tests read it."""

from krai.core.crawl import CrawlPage

HEAD = "head.health@demo.krai"
EXECUTOR = "exec1.unit1.health@demo.krai"

PAGES = [
    CrawlPage("/workspace/planner/today/", login=HEAD, follow=r"^/workspace/orders/control/\d+/$"),
    CrawlPage("/workspace/planner/today/", login=EXECUTOR),
    CrawlPage("/workspace/planner/", login=HEAD, follow=r"^/workspace/planner/entries/\d+/$"),
    CrawlPage("/workspace/planner/?view=month", login=EXECUTOR),
    CrawlPage("/workspace/planner/entries/new/", login=HEAD),
    CrawlPage("/workspace/planner/given/", login=HEAD, follow=r"^/workspace/orders/(order|control)/\d+/$"),
    CrawlPage("/workspace/planner/feed/", login=HEAD),
    CrawlPage("/workspace/planner/import/", login=HEAD),
    CrawlPage("/workspace/planner/voice/", login=HEAD),
]
