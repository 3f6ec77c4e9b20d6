"""Pages of the monitor (Mass media): the mentions feed, a story, sources, topics with their trend, alerts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from krai.monitoring.media import selectors
from krai.monitoring.media.forms import FilterForm, OrderForm, SourceForm, TopicForm
from krai.monitoring.media.services import orders, sources, topics

PAGE_SIZE = 25


def _access(request) -> None:
    if not request.user.has_perm("media.view"):
        raise PermissionDenied


def _error(request, exc: Exception) -> None:
    messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError)
                   else (str(exc) or _("Not allowed.")))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def mentions(request):
    _access(request)
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.mentions(request.user, topic=getattr(filters.get("topic"), "pk", None),
                              source=getattr(filters.get("source"), "pk", None), level=filters.get("level", ""),
                              q=filters.get("q", ""), first=filters.get("first"), last=filters.get("last"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "media/mentions.html", {"form": form, "page": page, "query": _query_without_page(request),
                                                   "total": page.paginator.count})


@login_required
def story(request, pk: int):
    _access(request)
    item = selectors.story_for(request.user, pk)
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = orders.story_to_order(actor=request.user, story=item, **form.cleaned_data)
            messages.success(request, _("The order is open."))
            return redirect("orders:assignment", assignment.pk)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    articles = selectors.story_articles(item)
    return render(request, "media/story.html", {"story": item, "articles": articles, "form": form})


@login_required
def source_list(request):
    _access(request)
    if request.method == "POST":
        source = selectors.source_for(request.user, int(request.POST.get("source") or 0))
        try:
            result = sources.source_poll(actor=request.user, source=source)
        except PermissionDenied as exc:
            _error(request, exc)
        else:
            if result["status"] == "error":
                messages.error(request, _("%(name)s: %(error)s") % {"name": source.name, "error": result["error"]})
            else:
                messages.success(request, _("%(name)s: %(new)d new articles.") % {"name": source.name,
                                                                                   "new": result["new"]})
        return redirect("monitoring:media:sources")
    rows = selectors.sources(request.user)
    if request.GET.get("failing") == "1":
        rows = selectors.failing_sources(request.user)
    return render(request, "media/sources.html", {
        "sources": rows, "may_manage": request.user.has_perm("media.manage_sources")})


@login_required
def source_edit(request, pk: int | None = None):
    _access(request)
    source = selectors.source_for(request.user, pk) if pk else None
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if source is None:
                sources.source_create(actor=request.user, **data)
            else:
                sources.source_update(actor=request.user, source=source, **data)
            messages.success(request, _("Saved."))
            return redirect("monitoring:media:sources")
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    return render(request, "media/source_form.html", {"form": form, "source": source})


@login_required
def topic_list(request):
    _access(request)
    rows = selectors.topics(request.user)
    if request.GET.get("mine") == "1":
        rows = rows.filter(owner=request.user)
    return render(request, "media/topics.html", {"topics": rows})


@login_required
def topic_detail(request, pk: int):
    _access(request)
    topic = selectors.topic_for(request.user, pk)
    days = selectors.trend(topic)
    return render(request, "media/topic.html", {
        "topic": topic, "days": days, "total": sum(d["count"] for d in days), "first": days[0]["day"],
        "last": days[-1]["day"], "alerts": selectors.alerts(request.user, topic=topic.pk)[:20],
        "may_change": request.user.has_perm("media.change_topic", topic)})


@login_required
def topic_edit(request, pk: int | None = None):
    _access(request)
    topic = selectors.topic_for(request.user, pk) if pk else None
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if topic is None:
                topic = topics.topic_create(actor=request.user, **data)
            else:
                topic = topics.topic_update(actor=request.user, topic=topic, **data)
            messages.success(request, _("Saved."))
            return redirect("monitoring:media:topic", topic.pk)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    return render(request, "media/topic_form.html", {"form": form, "topic": topic})


@login_required
def alert_list(request):
    _access(request)
    try:
        since = dt.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        since = None
    rows = selectors.alerts(request.user, mine=request.GET.get("mine") == "1", since=since)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "media/alerts.html", {"page": page, "query": _query_without_page(request)})
