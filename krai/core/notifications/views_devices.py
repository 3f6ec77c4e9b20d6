"""The "this device" page of both faces, /notifications/devices/: the browsers that receive the person's
notifications by web push, each removable, and the button that subscribes this browser (``krai/push.js``, which
posts here; hidden when the installation has no VAPID keys, and the page says so). The installed app subscribes
through the API (``api_push``) instead. A deputy acting for someone sees and changes the principal's devices, as
the request is the principal's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.core.notifications import push, selectors, services


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("accept", "")


@require_GET
@login_required
def devices(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/devices.html", {
        "subscriptions": selectors.push_subscriptions(user=request.user), "configured": push.configured(),
        "public_key": push.public_key()})


@require_POST
@login_required
def device_add(request: HttpRequest) -> HttpResponse:
    """Subscribe the browser that posts its ``PushSubscription`` (endpoint, p256dh, auth) for the person. The
    page's script asks for JSON (201 new, 200 known, 400 refused); a plain form post is sent back to the page."""
    known = selectors.push_subscriptions(user=request.user).filter(
        endpoint=request.POST.get("endpoint", "").strip()).exists()
    try:
        subscription = services.push_subscribe(
            user=request.user, endpoint=request.POST.get("endpoint", ""), p256dh=request.POST.get("p256dh", ""),
            auth=request.POST.get("auth", ""),
            user_agent=request.POST.get("user_agent", "") or request.headers.get("user-agent", ""))
    except ValidationError as exc:
        if _wants_json(request):
            return JsonResponse({"errors": exc.message_dict}, status=400)
        messages.error(request, " ".join(" ".join(errors) for errors in exc.message_dict.values()))
        return redirect("notifications:devices")
    messages.success(request, _("This browser receives your notifications now."))
    if _wants_json(request):
        return JsonResponse({"id": subscription.pk}, status=200 if known else 201)
    return redirect("notifications:devices")


@require_POST
@login_required
def device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop pushing to one of the person's browsers (another person's answers 404)."""
    subscription = selectors.push_subscriptions(user=request.user).filter(pk=pk).first()
    if subscription is None:
        raise Http404
    services.push_unsubscribe(user=request.user, subscription=subscription)
    messages.success(request, _("The device will no longer receive notifications."))
    return redirect("notifications:devices")
