"""Pages of the community's profiles: a profile, my profile and avatar, the people directory, topics, my
follows, the expert registry's public search (applying and the verifiers' queue: ``views/experts.py``).

A profile between two people where either blocked the other shows the name and avatar only, with a notice
(not a 404: the one who blocked must still find the page to unblock).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.social import forms_profiles as forms
from krai.social import policy, services
from krai.social.models import Profile, Visibility
from krai.social.sections import render_sections
from krai.social.selectors import profiles as selectors
from krai.social.views.helpers import back as _back
from krai.social.views.helpers import refused as _refused
from krai.social.views.helpers import to_form as _to_form

PAGE = 30
CACHE_AVATAR = "public, max-age=86400"
CACHE_AVATAR_VERSIONED = "public, max-age=31536000, immutable"


def _url(name: str, *args: Any) -> str:
    """A link to a page another part of the community may not have made yet ("" until it has)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- a profile -------------------------------------------------------------------------------------

@require_GET
def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    """A profile, each private field shown only to whom its owner allows (``policy.may_see``)."""
    view = selectors.profile_view(request.user, user_id)
    owner = view.profile
    signed_in = request.user.is_authenticated
    others = signed_in and not view.is_owner
    write = ""
    if others and not view.blocked and owner.accept_messages != Profile.Messages.NOBODY:
        write = _url("social:conversation_new")
        write = f"{write}?to={owner.user_id}" if write else ""
    context = {
        "view": view, "owner": owner, "avatar": selectors.avatar_url(owner), "others": others,
        "following": others and policy.follows(request.user, owner.user_id),
        "write_url": write,
        "block_url": (_url("social:block", owner.user_id) or _url("social:block")) if others and not view.blocked
        else "",
        "unblock_url": (_url("social:unblock", owner.user_id) or _url("social:unblock"))
        if others and view.blocked and policy.has_blocked(request.user, owner.user_id) else "",
        "may_revoke": others and owner.is_expert and request.user.has_perm("social.verify_credentials"),
        "report_url": _url("social:report", "profile", owner.user_id) if others else "",
        "sections": [] if view.blocked else render_sections(request.user, owner, request),
    }
    return render(request, "social/profiles/profile.html", context)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """My profile: the fields, who sees each, who may write to me, the people search, the avatar."""
    mine = policy.profile_of(request.user)
    form = forms.ProfileForm(request.POST or None, profile=mine)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, user=request.user, **form.values())
        except (ValidationError, PermissionDenied) as exc:
            _to_form(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("social:profile_edit")
    return render(request, "social/profiles/edit.html", {
        "form": form, "owner": mine, "avatar": selectors.avatar_url(mine), "avatar_form": forms.AvatarForm()},
        status=400 if form.errors else 200)


@login_required
@require_POST
def avatar_edit(request: HttpRequest) -> HttpResponse:
    """Upload a new avatar, or remove it (``remove`` in the form)."""
    try:
        if request.POST.get("remove"):
            services.profile_avatar_remove(actor=request.user, user=request.user)
            messages.success(request, _("The avatar is removed."))
        else:
            form = forms.AvatarForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Choose an image to upload."))
            services.profile_avatar_set(actor=request.user, user=request.user, upload=form.cleaned_data["image"])
            messages.success(request, _("The avatar is saved."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("social:profile_edit")


_COLOURS = ("#1f5f8b", "#2e7d32", "#6a1b9a", "#ad1457", "#00695c", "#4e342e", "#37474f", "#c62828")


def _initials_svg(profile: Profile, px: int) -> str:
    words = [w for w in profile.display_name.replace(".", " ").split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    colour = _COLOURS[int(hashlib.sha256(str(profile.user_id).encode()).hexdigest(), 16) % len(_COLOURS)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 100 100" '
            f'role="img"><rect width="100" height="100" fill="{colour}"/><text x="50" y="50" dy=".35em" '
            f'text-anchor="middle" font-family="sans-serif" font-size="40" fill="#fff">{escape(initials)}</text>'
            f'</svg>')


@require_GET
def avatar(request: HttpRequest, user_id: int, size: str) -> HttpResponse:
    """An avatar (public): the uploaded one, or one drawn with the initials."""
    if size not in ("full", "thumb"):
        raise Http404
    user = selectors.user_or_404(user_id)
    owner = policy.profile_of(user)
    stored = owner.avatar if size == "full" else owner.avatar_thumb
    if stored:
        try:
            response: HttpResponse = FileResponse(stored.open("rb"), content_type="image/jpeg")
        except OSError:
            raise Http404 from None
    else:
        response = HttpResponse(_initials_svg(owner, 256 if size == "full" else 64),
                                content_type="image/svg+xml")
    response["Cache-Control"] = CACHE_AVATAR_VERSIONED if request.GET.get("v") else CACHE_AVATAR
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- people, topics, follows -----------------------------------------------------------------------

def _rows(request: HttpRequest, profiles: Any) -> tuple[Any, list[dict[str, Any]]]:
    page = Paginator(profiles.select_related("municipality").prefetch_related("expertise"), PAGE).get_page(
        request.GET.get("page"))
    followed = selectors.followed_user_ids(request.user)
    levels = {Visibility.PUBLIC, *([Visibility.REGISTERED] if request.user.is_authenticated else [])}
    credentials = selectors.verified_credentials(list(page.object_list))
    rows = [{"profile": p, "avatar": selectors.avatar_url(p, "thumb"), "followed": p.user_id in followed,
             "municipality": p.municipality if (p.user_id == request.user.pk or p.level("municipality") in levels
                                                or (p.level("municipality") == Visibility.FOLLOWERS
                                                    and p.user_id in followed)) else None,
             "credentials": credentials.get(p.user_id, []) if p.is_expert else []}
            for p in page.object_list]
    return page, rows


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """The directory: by name, kind and municipality; people who left the search and blocks are not shown."""
    form = forms.PeopleFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page, rows = _rows(request, selectors.people(request.user, q=data.get("q", ""), kind=data.get("kind", ""),
                                                 municipality=data.get("municipality")))
    return render(request, "social/profiles/people.html", {"form": form, "page": page, "rows": rows,
                                                           "query": _query(request)})


@require_GET
def experts(request: HttpRequest) -> HttpResponse:
    """The expert registry: verified experts by field of expertise, municipality and name."""
    form = forms.ExpertsFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page, rows = _rows(request, selectors.experts(field=data.get("field"), municipality=data.get("municipality"),
                                                  q=data.get("q", ""), viewer=request.user))
    return render(request, "social/profiles/experts.html", {"form": form, "page": page, "rows": rows,
                                                            "query": _query(request)})


@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    followed = selectors.followed_topic_ids(request.user)
    rows = [{"topic": t, "url": selectors.topic_url(t), "followed": t.pk in followed} for t in selectors.topics()]
    return render(request, "social/profiles/topics.html", {"rows": rows})


@login_required
@require_GET
def my_follows(request: HttpRequest) -> HttpResponse:
    people_rows, topic_rows = selectors.my_follows(request.user)
    return render(request, "social/profiles/my_follows.html", {
        "people": [selectors.person_entry(f.followee) for f in people_rows],
        "topics": [selectors.topic_entry(f.topic) for f in topic_rows]})


@login_required
@require_POST
def follow(request: HttpRequest, user_id: int) -> HttpResponse:
    """Follow (or, with ``undo``, stop following) a person."""
    user = selectors.user_or_404(user_id)
    try:
        if request.POST.get("undo"):
            services.unfollow_user(actor=request.user, user=user)
        else:
            services.follow_user(actor=request.user, user=user)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(request, reverse("social:profile", args=[user.pk]))


@login_required
@require_POST
def follow_topic(request: HttpRequest, code: str) -> HttpResponse:
    """Follow (or, with ``undo``, stop following) a topic."""
    topic = selectors.topic_get(code)
    try:
        if request.POST.get("undo"):
            services.unfollow_topic(actor=request.user, topic=topic)
        else:
            services.follow_topic(actor=request.user, topic=topic)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(request, reverse("social:topics"))


urlpatterns = [
    path("community/people/", people, name="people"),
    path("community/people/<int:user_id>/", profile, name="profile"),
    path("community/people/<int:user_id>/avatar/<str:size>/", avatar, name="avatar"),
    path("community/people/<int:user_id>/follow/", follow, name="follow"),
    path("community/me/", profile_edit, name="profile_edit"),
    path("community/me/avatar/", avatar_edit, name="avatar_edit"),
    path("community/me/follows/", my_follows, name="my_follows"),
    path("community/topics/", topics, name="topics"),
    path("community/topics/<slug:code>/follow/", follow_topic, name="follow_topic"),
    path("community/experts/", experts, name="experts"),
]
