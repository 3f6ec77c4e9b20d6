""""My activity": everything a resident did across the areas, in one place.

It lives in the portal because the portal sits on top of the layers: it reads problems and participation
each through its own selectors, which neither of those sibling areas could do for the other.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from krai.participation.selectors import suggestions as participation_activity
from krai.problems import selectors as problems

LIMIT = 50


@login_required
@require_GET
def my_activity(request):
    user = request.user
    context = {
        "reports": list(problems.my_problems(user=user)[:LIMIT]),
        "endorsements": list(problems.my_endorsements(user=user)[:LIMIT]),
        "subscriptions": list(problems.my_subscriptions(user=user)[:LIMIT]),
        "problem_ratings": list(problems.my_ratings(user=user)[:LIMIT]),
        **participation_activity.my_activity(user=user, limit=LIMIT),
    }
    context["counts"] = {
        "votes": len(context["votes"]) + len(context["priority_votes"]),
        "ratings": len(context["ratings"]) + len(context["problem_ratings"]),
        "ideas": len(context["ideas"]) + len(context["suggestions"]),
    }
    return render(request, "portal/my_activity.html", context)
