"""Law-making's pages in the production-shape crawl: the list (anonymous) with a draft followed from it, and —
through the list filtered by stage, so the demo's draft in that stage is the first — the draft's text, its
versions and a diff, the amendments, the expertise and the reaction; the statistics; a resident's subscriptions
and the new-initiative form; the staff's queue in the workspace with an initiative followed from it. The
export links are files, not pages: they are not crawled."""

from krai.core.crawl import CrawlPage

CITIZEN = "citizen@demo.krai"
CONTROLLER = "controller@demo.krai"  # coordinators moderate concepts and move the stages
EXPERT = "expert01@demo.krai"  # invited to review the demo's draft under expertise (krai/lawmaking/demo.py)
EDITOR = "citizen.00005@demo.krai"  # the initiator, hence the editor, of the demo's draft under elaboration
BODY_HEAD = "head.energy-housing@demo.krai"  # the body that owes the demo's reaction (the form to answer)
DETAIL = r"^/lawmaking/\d+/$"

PAGES = [
    CrawlPage("/lawmaking/", follow=DETAIL),
    CrawlPage("/lawmaking/?stage=discussion", login=CITIZEN, follow=DETAIL),
    CrawlPage("/lawmaking/?stage=elaboration", follow=(DETAIL, r"^/lawmaking/\d+/draft/$")),
    CrawlPage("/lawmaking/?stage=elaboration",
              follow=(DETAIL, r"^/lawmaking/\d+/draft/versions/$", r"^/lawmaking/\d+/draft/diff/$")),
    CrawlPage("/lawmaking/?stage=elaboration", login=CITIZEN,
              follow=(DETAIL, r"^/lawmaking/\d+/draft/amendments/$")),
    CrawlPage("/lawmaking/?stage=expertise", follow=(DETAIL, r"^/lawmaking/\d+/expertise/$")),
    # the invited expert's review form; the coordinator's start of an expertise; the editor's text
    CrawlPage("/lawmaking/?stage=expertise", login=EXPERT, follow=(DETAIL, r"^/lawmaking/\d+/review/$")),
    CrawlPage("/lawmaking/?stage=elaboration", login=CONTROLLER,
              follow=(DETAIL, r"^/lawmaking/\d+/expertise/start/$")),
    CrawlPage("/lawmaking/?stage=elaboration", login=EDITOR, follow=(DETAIL, r"^/lawmaking/\d+/draft/edit/$")),
    CrawlPage("/lawmaking/?stage=closed", follow=(DETAIL, r"^/lawmaking/\d+/reaction/$")),
    CrawlPage("/lawmaking/?stage=reaction", login=BODY_HEAD, follow=(DETAIL, r"^/lawmaking/\d+/reaction/$")),
    CrawlPage("/lawmaking/statistics/"),
    CrawlPage("/lawmaking/subscriptions/", login=CITIZEN),
    CrawlPage("/lawmaking/new/", login=CITIZEN),
    CrawlPage("/workspace/lawmaking/", login=CONTROLLER, follow=DETAIL),
]
