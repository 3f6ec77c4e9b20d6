"""Pages of the expert registry: applying with credentials and documents (portal), and the verifiers' queue,
decisions and withdrawing a status (workspace; ``social.verify_credentials``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.core.files.selectors import attachments_for
from krai.social import forms_profiles as forms
from krai.social import policy, services
from krai.social.models import Credential
from krai.social.selectors import profiles as selectors
from krai.social.views.helpers import back as _back
from krai.social.views.helpers import refused as _refused
from krai.social.views.helpers import to_form as _to_form
from krai.social.views.profiles import PAGE


@login_required
def expert_apply(request: HttpRequest) -> HttpResponse:
    """Apply to the registry: fields of expertise, credentials with documents; and see their state."""
    mine = policy.profile_of(request.user)
    initial = {"fields_of_expertise": list(mine.expertise.all())} if mine.pk else {}
    form = forms.ExpertForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_apply(actor=request.user, fields=form.cleaned_data["fields_of_expertise"],
                                  credential=form.credential(), documents=form.cleaned_data["documents"])
        except (ValidationError, PermissionDenied) as exc:
            _to_form(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("Your application is sent to the moderators for verification."))
            return redirect("social:expert_apply")
    credentials = [(c, attachments_for(user=request.user, target=c)) for c in selectors.credentials_of(request.user)]
    return render(request, "social/profiles/expert_apply.html", {
        "form": form, "owner": mine, "credentials": credentials}, status=400 if form.errors else 200)


def _verifier(request: HttpRequest) -> None:
    if not request.user.has_perm("social.verify_credentials"):
        raise PermissionDenied(_("Experts are verified by the community's moderators."))


@login_required
@require_GET
def experts_queue(request: HttpRequest) -> HttpResponse:
    """The verifiers' queue: credentials awaiting verification, oldest first, with their documents."""
    _verifier(request)
    page = Paginator(selectors.credentials_pending(request.user), PAGE).get_page(request.GET.get("page"))
    rows = [{"credential": c, "documents": attachments_for(user=request.user, target=c),
             "form": forms.DecisionForm(prefix=f"c{c.pk}")} for c in page.object_list]
    return render(request, "social/profiles/experts_queue.html", {"page": page, "rows": rows,
                                                                  "revoke_form": forms.RevokeForm()})


@login_required
@require_POST
def credential_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _verifier(request)
    credential = get_object_or_404(Credential, pk=pk)
    form = forms.DecisionForm(request.POST, prefix=f"c{pk}")
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose to verify or to reject."))
        if form.cleaned_data["decision"] == "verify":
            services.credential_verify(actor=request.user, credential=credential, note=form.cleaned_data["note"])
            messages.success(request, _("The credential is verified."))
        else:
            services.credential_reject(actor=request.user, credential=credential, note=form.cleaned_data["note"])
            messages.success(request, _("The credential is rejected."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("social:experts_queue")


@login_required
@require_POST
def expert_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    _verifier(request)
    user = selectors.user_or_404(user_id)
    form = forms.RevokeForm(request.POST)
    try:
        services.expert_revoke(actor=request.user, user=user,
                               reason=form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, _("The expert status is withdrawn."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(request, reverse("social:profile", args=[user.pk]))


urlpatterns = [
    path("community/me/expertise/", expert_apply, name="expert_apply"),
    path("workspace/community/experts/", experts_queue, name="experts_queue"),
    path("workspace/community/experts/<int:pk>/decide/", credential_decide, name="credential_decide"),
    path("workspace/community/experts/revoke/<int:user_id>/", expert_revoke, name="expert_revoke"),
]
