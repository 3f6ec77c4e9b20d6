"""Priority pages: vote for the priorities of your municipality and the region; the published ranks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.core import csvsafe
from krai.org.selectors import municipality_list
from krai.participation import periods, services
from krai.participation.selectors import priorities as selectors
from krai.participation.services.priorities import votes_per_period
from krai.participation.views._common import int_or_none, public_write, refusal


def _municipality_id(request) -> int | None:
    chosen = int_or_none(request.GET.get("municipality") or request.POST.get("municipality"))
    if chosen:
        return chosen
    user = request.user
    return getattr(user, "home_municipality_id", None) if user.is_authenticated else None


def _why_not(user) -> str:
    """Why ``user`` cannot vote for priorities at all (empty when he can)."""
    if not user.is_authenticated:
        return _("Sign in to vote for priorities.")
    if not user.email_confirmed:
        return _("Confirm your e-mail address to vote: votes from unconfirmed accounts are not counted.")
    if not (user.residence_verified and user.home_municipality_id):
        return _("Priority votes count for your home municipality: have your residence verified first.")
    return ""


def _page(request, *, general: list[str] | None = None, status: int = 200):
    user = request.user
    municipalities = list(municipality_list())
    municipality_id = _municipality_id(request)
    if municipality_id and municipality_id not in {m.pk for m in municipalities}:
        municipality_id = None
    period = periods.current_period()
    votes = selectors.current_votes(user=user)
    region_counts = selectors.live_counts(period=period.key)
    local_counts = selectors.live_counts(period=period.key, municipality_id=municipality_id) if municipality_id else {}
    home = getattr(user, "home_municipality_id", None) if user.is_authenticated else None
    rows = []
    for priority in selectors.priority_list(municipality_id=municipality_id):
        rows.append({"priority": priority, "voted": priority.pk in votes,
                     "votes_region": region_counts.get(priority.pk, 0) if priority.is_regional else None,
                     "votes_here": local_counts.get(priority.pk, 0),
                     "votable": priority.is_regional or priority.municipality_id == home})
    limit = votes_per_period()
    return render(request, "participation/priorities.html", {
        "rows": rows, "municipalities": municipalities, "municipality_id": municipality_id,
        "municipality": next((m for m in municipalities if m.pk == municipality_id), None),
        "period": period, "limit": limit, "used": len(votes), "left": max(limit - len(votes), 0),
        "why_not": _why_not(user), "general_errors": general or [], "latest": selectors.latest_build(),
    }, status=status)


@require_GET
def priorities(request):
    return _page(request)


def _back(request):
    url = reverse("participation:priorities")
    municipality = int_or_none(request.POST.get("municipality"))
    return redirect(f"{url}?municipality={municipality}" if municipality else url)


@require_POST
@public_write
def priority_vote(request, pk: int):
    priority = selectors.priority_get(pk)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            services.priority_unvote(actor=request.user, priority=priority)
        else:
            services.priority_vote(actor=request.user, priority=priority)
    except (PermissionDenied, ValidationError) as exc:
        general, fields, status = refusal(exc)
        return _page(request, general=general + [m for ms in fields.values() for m in ms], status=status)
    if withdraw:
        messages.success(request, _("Your vote for “%(title)s” is withdrawn.") % {"title": priority.title})
    else:
        messages.success(request, _("Your vote for “%(title)s” is counted.") % {"title": priority.title})
    return _back(request)


@require_GET
def ranks(request):
    """A published rank: the region's or one municipality's, of the latest period or a chosen one."""
    builds = list(selectors.build_list())
    period = request.GET.get("period", "")
    if period and period not in {b.period for b in builds}:
        raise Http404(_("No ranks are published for this period."))
    municipalities = list(municipality_list(include_inactive=True))
    municipality_id = int_or_none(request.GET.get("municipality"))
    if municipality_id not in {m.pk for m in municipalities}:
        municipality_id = None
    rank = selectors.rank_get(period=period, municipality_id=municipality_id)
    return render(request, "participation/ranks.html", {
        "rank": rank, "builds": builds, "municipalities": municipalities, "municipality_id": municipality_id,
        "municipality": next((m for m in municipalities if m.pk == municipality_id), None),
        "period": rank.build.period if rank else "",
    })


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def rank_votes_csv(request, period: str):
    """The votes a published rank was built from — id, municipality, priority; never the voter — streamed, so
    anyone can recompute every checksum of the period (``docs/participation.md`` says how)."""
    build = selectors.build_get(period)
    writer = csvsafe.writer(_Echo())  # text that a spreadsheet would run as a formula leaves as text

    def rows():
        yield writer.writerow(["vote_id", "municipality_id", "priority_id"])
        for row in selectors.build_votes(build=build):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="priority-votes-{build.period}.csv"'
    return response
