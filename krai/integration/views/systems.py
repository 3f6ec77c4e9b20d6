"""The registered systems' pages (administrators: ``integration.manage_systems``): the list, registering one, a
system's page (its fields, the role its account acts in, its tokens, its latest messages), changing it, deactivating
and reactivating it, issuing a token (its key shown once, on the answer to the POST, never stored) and revoking one.
Anyone else gets 403 for the list and the forms, 404 for a system's page — the same as for a missing one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.integration.forms import SystemForm, TokenForm
from krai.integration.models import SystemKind
from krai.integration.rates import effective_rate
from krai.integration.selectors import exchange
from krai.integration.selectors import systems as selectors
from krai.integration.selectors.exchange import LogFilter
from krai.integration.services import systems as services
from krai.integration.views.home import log_query

PAGE_SIZE = 30
LATEST_MESSAGES = 10


def _managers_only(request: HttpRequest) -> None:
    if not selectors.may_manage(request.user):
        raise PermissionDenied(_("Only an administrator registers and changes external systems."))


@login_required
@require_GET
def system_list(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in SystemKind.values else ""
    active = {"1": True, "0": False}.get(request.GET.get("active", ""))
    paginator = Paginator(selectors.system_list(user=request.user, q=q, kind=kind, active=active), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    active_value = request.GET.get("active", "") if active is not None else ""
    query = urlencode({k: v for k, v in (("q", q), ("kind", kind), ("active", active_value)) if v})
    return render(request, "integration/systems/list.html", {
        "page": page, "rows": page.object_list, "total": paginator.count, "q": q, "kind": kind,
        "active": active_value, "kinds": SystemKind.choices,
        "query": query, "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


def _form_values(form: SystemForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def system_new(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    form = SystemForm(request.POST or None, initial={"kind": SystemKind.DOCFLOW, "access_role": "controller",
                                                     "access_scope": "region"})
    if request.method == "POST" and form.is_valid():
        try:
            system = services.system_register(actor=request.user, **_form_values(form))
        except ValidationError as exc:
            service_errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The system is registered with its service account. Issue it a token."))
            return redirect("integration:system", code=system.code)
    return render(request, "integration/systems/form.html", {"form": form, "system": None},
                  status=400 if request.method == "POST" else 200)


def _detail_context(request: HttpRequest, system: Any, token_form: TokenForm | None = None) -> dict[str, Any]:
    recent = LogFilter(system=system)
    return {"system": system, "access": selectors.system_access(system), "now": timezone.now(),
            "tokens": selectors.system_tokens(system), "rate": effective_rate(system.rate_limit),
            "token_form": token_form or TokenForm(), "log_query": log_query(recent),
            "recent": exchange.messages(user=request.user, filters=recent)[:LATEST_MESSAGES]
            if request.user.has_perm("integration.view_exchange") else []}


@login_required
@require_GET
def system_detail(request: HttpRequest, code: str) -> HttpResponse:
    system = selectors.system_get(user=request.user, code=code)
    return render(request, "integration/systems/detail.html", _detail_context(request, system))


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, code: str) -> HttpResponse:
    system = selectors.system_get(user=request.user, code=code)
    form = SystemForm(request.POST or None, system=system,
                      initial=SystemForm.initial_for(system, selectors.system_access(system)))
    if request.method == "POST" and form.is_valid():
        try:
            services.system_update(actor=request.user, system=system, **_form_values(form))
        except ValidationError as exc:
            service_errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The system is changed."))
            return redirect("integration:system", code=system.code)
    return render(request, "integration/systems/form.html", {"form": form, "system": system},
                  status=400 if request.method == "POST" else 200)


def _move(request: HttpRequest, code: str, call: Any, done: str) -> HttpResponse:
    system = selectors.system_get(user=request.user, code=code)
    try:
        call(actor=request.user, system=system)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", None) or [str(exc)]:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("integration:system", code=system.code)


@login_required
@require_POST
def system_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    return _move(request, code, services.system_deactivate,
                 _("The system is deactivated: its account is closed and its tokens no longer work."))


@login_required
@require_POST
def system_reactivate(request: HttpRequest, code: str) -> HttpResponse:
    return _move(request, code, services.system_reactivate,
                 _("The system is active again: its tokens that are not revoked or expired work again."))


@never_cache
@login_required
@require_POST
def token_issue(request: HttpRequest, code: str) -> HttpResponse:
    """Issue a token; the answer shows its key once (not a redirect: the key must not be kept anywhere)."""
    system = selectors.system_get(user=request.user, code=code)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            issued = services.system_token_issue(actor=request.user, system=system, name=form.cleaned_data["name"],
                                                 scopes=form.cleaned_data["scopes"], expires_at=form.expires_at())
        except ValidationError as exc:
            service_errors_onto(form, exc, aliases={"expires_at": "expires_on"})
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "integration/systems/token_issued.html", {"system": system, "issued": issued})
    return render(request, "integration/systems/detail.html", _detail_context(request, system, form), status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    system = selectors.system_get(user=request.user, code=code)
    token = selectors.system_token_get(system, pk)
    try:
        services.system_token_revoke(actor=request.user, system=system, token=token)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", None) or [str(exc)]:
            messages.error(request, message)
    else:
        messages.success(request, _("The token %(token)s is revoked: it no longer works.") % {"token": token.display})
    return redirect("integration:system", code=system.code)
