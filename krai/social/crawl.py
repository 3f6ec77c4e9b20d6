"""The community's pages in the production-shape crawl: the home page (anonymous, and a resident's feed) with a
publication followed from it, a topic, the people directory with a profile, the expert registry by field, an
organisation's album and photo (followed from its profile), a resident's own pages (profile, follows, the expert
application, messages with the demo conversation, a new message, blocks, a report form), and the moderators'
workspace pages (the queue with the demo's open report, bans, the experts' queue)."""

from krai.core.crawl import CrawlPage

CITIZEN = "citizen@demo.krai"
CONTROLLER = "controller@demo.krai"  # controllers moderate the community and verify experts
POST = r"^/community/posts/\d+/$"
PROFILE = r"^/community/people/\d+/$"

PAGES = [
    CrawlPage("/community/", follow=POST),
    CrawlPage("/community/", login=CITIZEN, follow=POST),
    CrawlPage("/community/?tab=all", login=CITIZEN,
              follow=(POST, r"^/community/report/publication/\d+/$")),  # the first post not his own leads on
    CrawlPage("/community/topics/", login=CITIZEN, follow=r"^/community/topics/[\w-]+/$"),
    CrawlPage("/community/people/", follow=PROFILE),
    CrawlPage("/community/experts/?field=law", login=CITIZEN, follow=PROFILE),
    # the public organisation's profile shows its albums: an album, then a photo of it
    CrawlPage("/community/people/?q=%D0%9E%D0%B1%D1%89%D0%B5%D1%81%D1%82%D0%B2%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9"
              "+%D0%BA%D0%BE%D0%BD%D1%82%D1%80%D0%BE%D0%BB%D1%8C",  # «Общественный контроль» (ngo.roads)
              follow=(PROFILE, r"^/community/albums/\d+/$", r"^/community/photos/\d+/$")),
    CrawlPage("/community/me/", login=CITIZEN),
    CrawlPage("/community/me/follows/", login=CITIZEN),
    CrawlPage("/community/me/expertise/", login=CITIZEN),
    CrawlPage("/community/messages/", login=CITIZEN, follow=r"^/community/messages/\d+/$"),
    CrawlPage("/community/messages/new/?q=%D0%AD%D0%BA%D0%BE", login=CITIZEN),  # a search for «Эко»
    CrawlPage("/community/me/blocks/", login=CITIZEN),
    CrawlPage("/community/albums/new/", login=CITIZEN),
    CrawlPage("/workspace/community/reports/", login=CONTROLLER, follow=r"^/workspace/community/reports/\d+/$"),
    CrawlPage("/workspace/community/bans/", login=CONTROLLER),
    CrawlPage("/workspace/community/experts/", login=CONTROLLER),
]
