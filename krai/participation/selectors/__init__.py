"""Every shared read of the participation area; other areas use these (and the services) only.

Public things (published polls, priorities, ranks, the services registry, campaigns and published ideas)
are read by anyone; what staff manage is narrowed by ``krai.org.scopes.scope_for(user)``; a row out of
reach answers like a missing one (``Http404``).
"""

from krai.participation.selectors import ideas, polls, priorities, ratings, suggestions  # noqa: F401
