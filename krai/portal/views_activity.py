""""My activity": everything a resident did across the areas, in one place.

It lives in the portal because the portal sits on top of the layers: it reads problems and participation
each through its own selectors, which neither of those sibling areas could do for the other.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from krai.portal.selectors import my_activity as activity_of


@login_required
@require_GET
def my_activity(request):
    context = activity_of(user=request.user)
    context["counts"] = {
        "votes": len(context["votes"]) + len(context["priority_votes"]),
        "ratings": len(context["ratings"]) + len(context["problem_ratings"]),
        "ideas": len(context["ideas"]) + len(context["suggestions"]),
    }
    return render(request, "portal/my_activity.html", context)
