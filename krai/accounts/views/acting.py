"""The deputy's switch: whom he may act for today (``/accounts/acting/``), starting to act for one of them and
stopping (both POST). The switch itself is kept in the session and applied by ``krai.accounts.acting``.

These pages run for the real user — the deputy — even while his session acts for someone (``request.real_user``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.accounts import acting
from krai.org import deputies as selectors
from krai.org.models import Deputyship
from krai.org.services import deputies as services


def _real(request: HttpRequest) -> Any:
    return getattr(request, "real_user", None) or request.user


def _landing(request: HttpRequest, user: Any) -> HttpResponseRedirect:
    """Where to go after a switch: a safe ``next`` of the form, else the workspace (staff) or the portal."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect("workspace:home" if user.is_staff else "portal:home")


@login_required
@require_GET
def acting_home(request: HttpRequest) -> HttpResponse:
    """Whom the signed-in person may act for today, his coming deputyships, and whom he acts for now."""
    user = _real(request)
    coming = selectors.coming().filter(deputy_id=user.pk)[:20]
    current = getattr(getattr(request, "acting", None), "current", None)
    return render(request, "accounts/acting.html", {
        "options": selectors.acting_options(user), "coming": coming, "current": current})


@login_required
@require_POST
def acting_start(request: HttpRequest) -> HttpResponse:
    """Switch the session to acting for the principal of a deputyship in force for the signed-in person."""
    user = _real(request)
    deputyship = selectors.acting_in_force(deputy=user, pk=request.POST.get("deputyship", ""))
    if deputyship is None:
        messages.error(request, _("You cannot act by this deputyship today: it is not yours, not yet begun, over "
                                  "or ended."))
        return redirect("accounts:acting")
    if not acting.may_switch(request, user, deputyship):
        messages.error(request, _("%(name)s's role requires a second factor: log in with your authenticator's code "
                                  "before you act for him.") % {"name": deputyship.principal.short_name})
        return redirect("accounts:acting")
    try:
        services.acting_start(actor=user, deputyship=deputyship)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", None) or [str(exc)]:
            messages.error(request, message)
        return redirect("accounts:acting")
    acting.switch_on(request, deputyship)
    messages.success(request, _("You are acting for %(name)s until %(until)s. Everything you do is marked as done "
                                "by you for him.") % {"name": deputyship.principal.short_name,
                                                      "until": formats.date_format(deputyship.ends_on, "d.m.Y")})
    return _landing(request, deputyship.principal)


@login_required
@require_POST
def acting_stop(request: HttpRequest) -> HttpResponse:
    """Stop acting for someone: the session is the signed-in person's own again."""
    user = _real(request)
    stored = acting.switch_off(request)
    pk = stored.get("deputyship") if isinstance(stored, dict) else None
    deputyship = Deputyship.objects.filter(pk=pk, deputy_id=user.pk).first() if str(pk).isdigit() else None
    if deputyship is not None:
        services.acting_stop(actor=user, deputyship=deputyship)
        messages.success(request, _("You no longer act for %(name)s: you act for yourself again.")
                         % {"name": deputyship.principal.short_name})
    return redirect("workspace:home" if user.is_staff else "portal:home")
