"""The search page: one box, results from every area the person may see."""

from django.shortcuts import render

from krai.core.search import query as text_query
from krai.core.search import selectors

PAGE_SIZE = 20


def index(request):
    q = request.GET.get("q", "").strip()[: text_query.MAX_QUERY]
    kind = request.GET.get("kind", "").strip()
    results, has_next, page = [], False, 1
    if q:
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        page = min(page, 50)
        found = selectors.search(user=request.user, query=q, kinds=[kind] if kind else None, limit=PAGE_SIZE + 1,
                                 offset=(page - 1) * PAGE_SIZE)
        results, has_next = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    template = "search/_results.html" if request.htmx else "search/index.html"
    return render(request, template, {
        "q": q, "kind": kind, "results": results, "page": page, "has_next": has_next,
        "no_words": bool(q) and not text_query.words(q), "kinds": selectors.kinds_present(user=request.user),
    })


