"""(skeleton — filled by this part's author)"""

urlpatterns: list = []


def detail_context(request, initiative) -> dict:
    """What the initiative's page shows of the discussion: support, questions, subscription (its include
    ``lawmaking/_detail_discussion.html``)."""
    return {}
