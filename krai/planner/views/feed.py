"""The planner's iCalendar pages: the person's feed addresses under /workspace/planner/feed/ (make one — shown once —,
see them, revoke one), the private feed itself under /planner/feed/<token>.ics that calendar programs read without a
session, and the import of an .ics file under /workspace/planner/import/ (upload, preview, apply).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from krai.core.forms import service_errors_onto
from krai.planner.services import feed as services
from krai.planner.services import ics_import


def feed_rate_per_address(group: str, request: HttpRequest) -> str:
    """Calendars poll a feed every few minutes at the most (Thunderbird can be set to every minute): generous."""
    return getattr(settings, "KRAI_PLANNER_FEED_RATE", "120/h")


def feed_rate_per_ip(group: str, request: HttpRequest) -> str:
    """A cap per network address (an office behind one address has many people) against trying addresses."""
    return getattr(settings, "KRAI_PLANNER_FEED_IP_RATE", "600/h")


IMPORT_SALT = "krai.planner.import"
IMPORT_MAX_AGE = 3600


def planner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; anyone who may not use the planner gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(services.USE):
            raise PermissionDenied(_("The planner is for members of staff."))
        return view(request, *args, **kwargs)

    return wrapper


def feed_address(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("planner:feed_ics", kwargs={"token": token}))


def _feed_page(request: HttpRequest, *, issued: services.IssuedFeed | None = None, status: int = 200) -> HttpResponse:
    address = feed_address(request, issued.token) if issued else ""
    return render(request, "planner/feed.html", {
        "feeds": services.feeds_of(request.user), "issued": issued, "address": address,
        "webcal": address.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1)}, status=status)


@require_http_methods(["GET", "POST"])
@planner_required
def feed_home(request: HttpRequest) -> HttpResponse:
    """The person's feeds; POST makes a new address, shown on the answer to that POST and never again."""
    if request.method == "POST":
        try:
            issued = services.feed_create(actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return _feed_page(request, status=400)
        return _feed_page(request, issued=issued)
    return _feed_page(request)


@require_http_methods(["GET", "POST"])
@planner_required
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask before revoking (GET), then revoke (POST): calendars subscribed with the address get nothing more."""
    feed = services.feed_get_for_user(request.user, pk)
    if request.method == "POST":
        services.feed_revoke(actor=request.user, feed=feed)
        messages.success(request, _("The feed %(prefix)s… is revoked; calendars subscribed to it get nothing more.")
                         % {"prefix": feed.prefix})
        return redirect("planner:feed")
    return render(request, "planner/feed.html", {"confirm": feed, "feeds": []})


def _token_key(group: str, request: HttpRequest) -> str:
    token = (request.resolver_match.kwargs.get("token", "") if request.resolver_match else "")
    return hashlib.sha256(token.encode()).hexdigest()


def _last_modified(feed_pk: int, etag: str) -> datetime:
    """When the feed's content last became what it is: remembered with its ETag, so that If-Modified-Since is
    honest (deleted entries and the areas' items leave no modification time to read)."""
    key = f"planner:feed:{feed_pk}"
    known = cache.get(key)
    if known and known[0] == etag:
        return known[1]
    now = timezone.now().replace(microsecond=0)
    cache.set(key, (etag, now), 60 * 60 * 24 * 30)
    return now


@require_GET
@ratelimit(group="planner.feed_ip", key="ip", rate=feed_rate_per_ip, block=True)
@ratelimit(group="planner.feed_token", key=_token_key, rate=feed_rate_per_address, block=True)
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no session, the address is the credential. Unknown, revoked, or its owner gone: 404 alike."""
    feed = services.feed_find(token)
    if feed is None:
        # the same bare answer for an address never made, revoked, or whose owner is gone: nothing to tell apart
        return HttpResponseNotFound(b"Not found\n", content_type="text/plain; charset=utf-8")
    body = services.feed_calendar(feed.user, absolute_url=request.build_absolute_uri)
    services.feed_touch(feed)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    last_modified = int(_last_modified(feed.pk, etag).timestamp())
    response["Last-Modified"] = http_date(last_modified)
    # the address is a secret: no shared cache may keep it, and it must not leak as a referrer
    response["Cache-Control"] = "private, no-cache"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = 'inline; filename="krai-planner.ics"'
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


# --- import ------------------------------------------------------------------------------------------------------

class ImportForm(forms.Form):
    """The upload of the import page (the template draws the field itself: a file input with its help and errors)."""

    file = forms.FileField(label=gettext_lazy("Calendar file (.ics)"),
                           help_text=gettext_lazy("Exported from Outlook, Thunderbird, Google or a phone; at most "
                                                  "2 MB."))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > ics_import.MAX_BYTES:
            raise ValidationError(_("The file is larger than %(size)d MB.")
                                  % {"size": ics_import.MAX_BYTES // (1024 * 1024)})
        return upload.read()


def _pack(user_pk: int, data: bytes) -> str:
    """The checked file carried from the preview to the confirmation, signed (and for this person only)."""
    return signing.dumps({"user": user_pk, "ics": data.decode("utf-8", errors="replace")}, salt=IMPORT_SALT,
                         compress=True)


def _unpack(user_pk: int, packed: str) -> bytes | None:
    try:
        payload = signing.loads(packed, salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        return None
    return payload["ics"].encode() if payload.get("user") == user_pk else None


@require_http_methods(["GET", "POST"])
@planner_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file → its preview (what is added and updated, nothing stored) → apply it, all or nothing."""
    form = ImportForm()
    if request.method == "POST" and "payload" in request.POST:
        data = _unpack(request.user.pk, request.POST["payload"])
        if data is None:
            messages.error(request, _("The preview is too old or was changed; upload the file again."))
            return redirect("planner:import")
        try:
            plan = ics_import.ics_import(actor=request.user, data=data,
                                         written_by=getattr(request, "real_user", None) or request.user)
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("Imported: %(added)d added, %(updated)d updated, %(same)d already the same.")
                             % {"added": plan.added, "updated": plan.updated, "same": plan.unchanged})
            return redirect("planner:import")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"]
            try:
                plan = ics_import.ics_plan(actor=request.user, data=data)
            except ValidationError as exc:
                service_errors_onto(form, exc)
            else:
                return render(request, "planner/import.html", {
                    "form": ImportForm(), "plan": plan, "payload": _pack(request.user.pk, data),
                    "file_name": request.FILES["file"].name})
    return render(request, "planner/import.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


urlpatterns = [
    path("workspace/planner/feed/", feed_home, name="feed"),
    path("workspace/planner/feed/<int:pk>/revoke/", feed_revoke, name="feed_revoke"),
    path("planner/feed/<str:token>.ics", feed_ics, name="feed_ics"),
    path("workspace/planner/import/", import_page, name="import"),
]
