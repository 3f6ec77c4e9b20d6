"""Pages of the community's content: the home page with the feed and the public timeline (/community/), a
publication with its photos, cards and discussion, editing and deleting one's own, a topic's publications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.social import policy, services
from krai.social.forms_content import PublicationEditForm, PublicationForm
from krai.social.selectors import content as selectors
from krai.social.selectors import feed as feeds


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _home(request: HttpRequest, *, form: PublicationForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    signed_in = policy.is_active_user(user)
    tab = "all" if not signed_in or request.GET.get("tab") == "all" else "feed"
    before = feeds.parse_before(request.GET.get("before"))
    reader = feeds.feed if tab == "feed" else feeds.public_timeline
    page = reader(user=user, before=before)
    if signed_in and form is None:
        form = PublicationForm()
    return render(request, "social/content/home.html", {
        "tab": tab, "items": selectors.shown(page.items, user, with_cards=True), "next_before": page.next_before,
        "form": form, "signed_in": signed_in,
    }, status=status)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@require_POST
@login_required
def publish(request: HttpRequest) -> HttpResponse:
    form = PublicationForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            publication = services.publication_create(
                actor=request.user, body=data["body"], audience=data["audience"], topics=data["topics"],
                photos=data["photos"], comments_closed=data["comments_closed"])
        except (PermissionDenied, ValidationError) as exc:
            form.put_back(exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("Published."))
            return redirect("social:publication", pk=publication.pk)
    return _home(request, form=form, status=400)


@require_GET
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get(user=request.user, pk=pk)
    item = selectors.shown([publication], request.user, with_cards=True)[0]
    return render(request, "social/content/publication.html", {
        "item": item, "publication": publication, "report_url": selectors.report_url(publication),
    })


@require_http_methods(["GET", "POST"])
@login_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get(user=request.user, pk=pk)
    if not selectors.may_edit(request.user, publication):
        raise PermissionDenied(_("Only the author may edit a publication."))
    if request.method == "POST":
        form = PublicationEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.publication_edit(actor=request.user, publication=publication, body=data["body"],
                                          audience=data["audience"], topics=data["topics"],
                                          comments_closed=data["comments_closed"])
            except (PermissionDenied, ValidationError) as exc:
                form.put_back(exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                messages.success(request, _("The publication is changed."))
                return redirect("social:publication", pk=publication.pk)
        status = 400
    else:
        form = PublicationEditForm(initial={
            "body": publication.body, "audience": publication.audience, "topics": list(publication.topics.all()),
            "comments_closed": publication.comments_closed})
        status = 200
    return render(request, "social/content/edit.html", {"form": form, "publication": publication}, status=status)


@require_POST
@login_required
def publication_delete(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get(user=request.user, pk=pk)
    services.publication_delete(actor=request.user, publication=publication)
    messages.success(request, _("The publication is deleted."))
    return redirect("social:home")


@require_GET
def topic(request: HttpRequest, code: str) -> HttpResponse:
    chosen = selectors.topic_get(code=code)
    page = feeds.topic_feed(user=request.user, topic=chosen, before=feeds.parse_before(request.GET.get("before")))
    following = selectors.follows_topic(request.user, chosen)
    return render(request, "social/content/topic.html", {
        "topic": chosen, "items": selectors.shown(page.items, request.user, with_cards=True),
        "next_before": page.next_before,
        "following": following, "signed_in": policy.is_active_user(request.user),
        "follow_url": _url("social:follow_topic", chosen.code),  # the profiles' toggle: "undo" unfollows
    })


urlpatterns = [
    path("community/", home, name="home"),
    path("community/posts/new/", publish, name="publish"),
    path("community/posts/<int:pk>/", publication_detail, name="publication"),
    path("community/posts/<int:pk>/edit/", publication_edit, name="publication_edit"),
    path("community/posts/<int:pk>/delete/", publication_delete, name="publication_delete"),
    path("community/topics/<slug:code>/", topic, name="topic"),
]
