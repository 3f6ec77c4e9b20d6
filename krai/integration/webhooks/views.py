"""Webhooks' pages under /workspace/integration/webhooks/ (administrators: ``integration.manage_webhooks``): the
endpoints, an endpoint's form and its page (its secret and rotation, a test ping, its deliveries with a status
filter, replays), a delivery with its attempts, and the dead letters with their filters and replay of the chosen
ones. Everyone else gets 403; a missing endpoint or delivery 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.integration.webhooks import selectors
from krai.integration.webhooks.forms import DeadFilterForm, DeliveryFilter, EndpointForm, ReplaySinceForm
from krai.integration.webhooks.policy import require_manager
from krai.integration.webhooks.services import endpoints as services
from krai.integration.webhooks.services import replay

PAGE_SIZE = 30


def _page(request: HttpRequest, rows: Any, query: dict[str, Any] | None = None) -> dict[str, Any]:
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {"page": page, "rows": page.object_list, "total": paginator.count,
            "query": urlencode({k: v for k, v in (query or {}).items() if v not in (None, "")}),
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))}


def _manager(view: Any) -> Any:
    """Signed in, and an administrator (403 with the reason otherwise)."""

    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_manager(request.user)
        return view(request, *args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_manager
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """The endpoints of every system with their pending and dead deliveries."""
    context = _page(request, selectors.endpoint_list(request.user))
    context["counts"] = selectors.counts(request.user)
    return render(request, "webhooks/home.html", context)


def _save(request: HttpRequest, form: EndpointForm, endpoint: Any = None) -> Any:
    data = dict(form.cleaned_data)
    try:
        if endpoint is None:
            return services.endpoint_create(actor=request.user, **data)
        return services.endpoint_update(actor=request.user, endpoint=endpoint, **data)
    except ValidationError as exc:
        service_errors_onto(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


@_manager
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None, systems=selectors.systems(request.user))
    if request.method == "POST" and form.is_valid():
        endpoint = _save(request, form)
        if endpoint is not None:
            messages.success(request, _("The endpoint is created. Give its secret to the system's administrators."))
            return redirect("webhooks:endpoint", endpoint.pk)
    return render(request, "webhooks/form.html", {"form": form, "endpoint": None},
                  status=400 if request.method == "POST" else 200)


@_manager
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get(request.user, pk)
    form = EndpointForm(request.POST or None, systems=selectors.systems(request.user), endpoint=endpoint)
    if request.method == "POST" and form.is_valid() and _save(request, form, endpoint) is not None:
        messages.success(request, _("The endpoint is saved."))
        return redirect("webhooks:endpoint", endpoint.pk)
    return render(request, "webhooks/form.html", {"form": form, "endpoint": endpoint},
                  status=400 if request.method == "POST" else 200)


@_manager
@require_http_methods(["GET"])
def endpoint(request: HttpRequest, pk: int) -> HttpResponse:
    """An endpoint: its settings and secret, the actions, its deliveries (paged, by status)."""
    item = selectors.endpoint_get(request.user, pk)
    filters = DeliveryFilter(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    context = _page(request, selectors.deliveries_of(request.user, item, status=status), {"status": status})
    context.update(item=item, filters=filters, since_form=ReplaySinceForm())
    return render(request, "webhooks/endpoint.html", context)


def _back(pk: int) -> HttpResponse:
    return redirect("webhooks:endpoint", pk)


def _refusal(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


@_manager
@require_POST
def rotate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.endpoint_get(request.user, pk)
    services.endpoint_rotate_secret(actor=request.user, endpoint=item)
    messages.success(request, _("A new secret is made. The previous one still signs for 24 hours beside it."))
    return _back(item.pk)


@_manager
@require_POST
def toggle(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.endpoint_get(request.user, pk)
    try:
        services.endpoint_update(actor=request.user, endpoint=item, is_active=not item.is_active)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The endpoint is enabled: waiting deliveries are sent.") if item.is_active
                         else _("The endpoint is disabled: its deliveries wait until it is enabled."))
    return _back(item.pk)


@_manager
@require_POST
def ping(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a ``webhook.test`` message now and show how the system answered."""
    item = selectors.endpoint_get(request.user, pk)
    result = services.endpoint_ping(actor=request.user, endpoint=item)
    if result.ok:
        messages.success(request, _("The test message was received: HTTP %(status)s.") % {
            "status": result.http_status})
    else:
        messages.error(request, _("The test message was not received: %(error)s") % {"error": result.error})
    return _back(item.pk)


@_manager
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.endpoint_get(request.user, pk)
    services.endpoint_delete(actor=request.user, endpoint=item)
    messages.success(request, _("The endpoint is deleted."))
    return redirect("webhooks:home")


def _replayed(request: HttpRequest, count: int) -> None:
    if count:
        messages.success(request, ngettext("%(n)s delivery is sent again.", "%(n)s deliveries are sent again.",
                                           count) % {"n": count})
    else:
        messages.info(request, _("Nothing to send again."))


@_manager
@require_POST
def replay_dead(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.endpoint_get(request.user, pk)
    _replayed(request, replay.endpoint_replay_dead(actor=request.user, endpoint=item))
    if request.POST.get("next") == "dead":
        return redirect(f"{reverse('webhooks:dead')}?endpoint={item.pk}")
    return _back(item.pk)


@_manager
@require_POST
def replay_since(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.endpoint_get(request.user, pk)
    form = ReplaySinceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the moment to send again from."))
        return _back(item.pk)
    try:
        count = replay.endpoint_replay_since(actor=request.user, endpoint=item, since=form.cleaned_data["since"])
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        _replayed(request, count)
    return _back(item.pk)


@_manager
@require_http_methods(["GET"])
def dead(request: HttpRequest) -> HttpResponse:
    """The dead letters, filtered by endpoint, kind and the event's date; chosen ones are replayed."""
    endpoints = selectors.endpoint_list(request.user)
    form = DeadFilterForm(request.GET or None, endpoints=endpoints)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DeadFilter(endpoint=data.get("endpoint"), kind=data.get("kind") or "",
                                   since=data.get("since"), until=data.get("until"))
    query = {"endpoint": filters.endpoint.pk if filters.endpoint else "", "kind": filters.kind,
             "since": filters.since.isoformat() if filters.since else "",
             "until": filters.until.isoformat() if filters.until else ""}
    context = _page(request, selectors.dead_letters(request.user, filters), query)
    context.update(form=form, chosen_endpoint=filters.endpoint, back=request.get_full_path())
    return render(request, "webhooks/dead.html", context)


@_manager
@require_POST
def dead_replay(request: HttpRequest) -> HttpResponse:
    """Replay the dead deliveries ticked on the dead-letter page."""
    ids = [value for value in request.POST.getlist("delivery") if value.isdigit()]
    try:
        _replayed(request, replay.deliveries_replay(actor=request.user, deliveries=ids))
    except ValidationError as exc:
        _refusal(request, exc)
    back = request.POST.get("back", "")
    return redirect(back if back.startswith(reverse("webhooks:dead")) else reverse("webhooks:dead"))


@_manager
@require_http_methods(["GET", "POST"])
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """One delivery with each attempt (from the exchange log); POST replays it when dead."""
    row = selectors.delivery_get(request.user, pk)
    if request.method == "POST":
        _replayed(request, replay.deliveries_replay(actor=request.user, deliveries=[row.pk]))
        return redirect("webhooks:delivery", row.pk)
    attempts = selectors.attempts_of(request.user, row)
    return render(request, "webhooks/delivery.html", {"item": row, "attempts": attempts[:100],
                                                      "attempts_total": attempts.count()})


P = "workspace/integration/webhooks/"

urlpatterns = [
    path(P, home, name="home"),
    path(P + "new/", new, name="new"),
    path(P + "dead/", dead, name="dead"),
    path(P + "dead/replay/", dead_replay, name="dead_replay"),
    path(P + "deliveries/<int:pk>/", delivery, name="delivery"),
    path(P + "<int:pk>/", endpoint, name="endpoint"),
    path(P + "<int:pk>/edit/", edit, name="edit"),
    path(P + "<int:pk>/rotate/", rotate, name="rotate"),
    path(P + "<int:pk>/toggle/", toggle, name="toggle"),
    path(P + "<int:pk>/ping/", ping, name="ping"),
    path(P + "<int:pk>/delete/", delete, name="delete"),
    path(P + "<int:pk>/replay-dead/", replay_dead, name="replay_dead"),
    path(P + "<int:pk>/replay-since/", replay_since, name="replay_since"),
]
