"""The planner's devices page, /workspace/planner/devices/: the browsers that receive the person's reminders by push,
each removable, and the button that subscribes this browser (``planner/push.js``; hidden when the installation has no
VAPID keys, and the page says so). A deputy acting for someone sees and changes the principal's devices, as the
request is the principal's."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.planner import push
from krai.planner.models import PushSubscription
from krai.planner.services.push import push_unsubscribe


def planner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; anyone without the planner gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("planner.use"):
            raise PermissionDenied(_("The planner is for members of staff."))
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@planner_required
def devices(request: HttpRequest) -> HttpResponse:
    rows = PushSubscription.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(request, "planner/devices.html", {
        "subscriptions": rows, "configured": push.configured(), "public_key": push.public_key()})


@require_POST
@planner_required
def device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop pushing to one of the person's browsers (another person's answers 404)."""
    subscription = PushSubscription.objects.filter(pk=pk, user=request.user).first()
    if subscription is None:
        raise Http404
    push_unsubscribe(user=request.user, subscription=subscription)
    messages.success(request, _("The device will no longer receive reminders."))
    return redirect("planner:devices")


urlpatterns = [
    path("workspace/planner/devices/", devices, name="devices"),
    path("workspace/planner/devices/<int:pk>/remove/", device_remove, name="device_remove"),
]
