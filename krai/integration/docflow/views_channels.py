"""The channel settings per document-flow system (administrators): who issues the orders its packages bring, the
controller, the default urgency, whether packages are accepted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from krai.core.forms import service_errors_onto
from krai.integration.docflow import selectors
from krai.integration.docflow.forms import ChannelForm
from krai.integration.docflow.services.channels import channel_save


def _admin_only(request: HttpRequest) -> None:
    if not request.user.has_perm("integration.manage_systems"):
        raise PermissionDenied(_("Only administrators set up the systems' channels."))


@login_required
@require_http_methods(["GET"])
def channels(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    return render(request, "docflow/channels.html", {"systems": selectors.docflow_systems()})


@login_required
@require_http_methods(["GET", "POST"])
def channel(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    system = selectors.docflow_systems().filter(pk=pk).first()
    if system is None:
        raise Http404
    current = selectors.channel_of(system)
    initial = {"priority": "ordinary", "is_active": True}
    if current is not None:
        initial = {"issuer": current.issuer_id, "controller_organisation": current.controller_organisation_id,
                   "priority": current.priority, "is_active": current.is_active}
    form = ChannelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            channel_save(actor=request.user, system=system, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("The channel of %(name)s is saved.") % {"name": system.name})
            return redirect("docflow:channels")
    return render(request, "docflow/channel.html", {"system": system, "form": form, "current": current},
                  status=400 if request.method == "POST" else 200)
