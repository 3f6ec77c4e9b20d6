"""The staff's queue of law-making (``/workspace/lawmaking/``): concepts to moderate (coordinators), and the
initiatives of the bodies in the reader's reach by stage, each with what the staff do next. Anyone else: 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from krai.lawmaking.models import Stage
from krai.lawmaking.selectors import initiatives as selectors

PAGE_SIZE = 30
#: what the staff do next with an initiative of each tab
NEXT_ACTION = {
    Stage.CONCEPT: _("Approve or refuse the concept"),
    Stage.DISCUSSION: _("Follow the discussion; move it on or stop it"),
    Stage.ELABORATION: _("Work on the draft and the amendments; start the expertise"),
    Stage.EXPERTISE: _("Wait for the reviews; request the reaction"),
    Stage.REACTION: _("Give the reaction by the deadline"),
}
TAB_LABELS = {Stage.CONCEPT: _("To moderate")}


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("lawmaking.view_queue"):
        raise Http404
    tabs = selectors.queue(request.user)
    current = request.GET.get("tab", "")
    if current not in tabs:
        current = next(iter(tabs))
    paginator = Paginator(tabs[current], PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    tab_rows = [{"stage": stage, "label": TAB_LABELS.get(stage) or Stage(stage).label, "count": rows.count(),
                 "current": stage == current} for stage, rows in tabs.items()]
    return render(request, "lawmaking/workspace/queue.html", {
        "tabs": tab_rows, "tab": current, "page": page, "rows": page.object_list, "next_action": NEXT_ACTION[current],
        "query": f"tab={current}", "total": paginator.count,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


urlpatterns = [
    path("workspace/lawmaking/", queue, name="workspace"),
]
