"""The person's own pages: profile, his data, deleting the account, two-factor setup, API tokens."""

from __future__ import annotations

import json

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from krai.accounts import second_factor, selectors, services
from krai.accounts.forms import CodeForm, PasswordConfirmForm, ProfileForm, TokenForm
from krai.accounts.models import TOKEN_SCOPES
from krai.accounts.views._common import errors_onto


@login_required
def profile(request):
    user = request.user
    initial = {"surname": user.surname, "given_name": user.given_name, "patronymic": user.patronymic,
               "phone": user.phone, "home_municipality": user.home_municipality_id}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {
        "form": form, "two_factor": services.has_two_factor(user),
        "tokens": selectors.tokens_of(user=user).filter(revoked_at__isnull=True).count(),
    }, status=400 if form.errors else 200)


@login_required
def data_export(request):
    """Everything about me, as a JSON file."""
    body = json.dumps(selectors.user_data_export(user=request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="krai-my-data-{timezone.now():%Y-%m-%d}.json"'
    return response


@login_required
def delete_account(request):
    """Delete (anonymise) the account after the password is given once more."""
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_anonymise(actor=request.user, user=request.user,
                                       password=form.cleaned_data["password"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Thank you for taking part."))
            return redirect("portal:home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def two_factor(request):
    """State of two-factor; turn it on (QR and a code), renew backup codes, or turn it off."""
    user = request.user
    if services.has_two_factor(user):
        return render(request, "accounts/two_factor.html", {"enabled": True, "form": PasswordConfirmForm(),
                                                            "required": second_factor.required_for(user)})
    device = services.totp_pending(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.totp_confirm(actor=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            # the right code was just entered: this session has passed the second factor
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return render(request, "accounts/backup_codes.html", {"codes": codes})
    context = {"enabled": False, "device": device, "form": form, "required": second_factor.required_for(user)}
    if device is not None:
        context["qr"] = mark_safe(_qr_svg(device.config_url))  # noqa: S308 — our own SVG from qrcode
        context["secret"] = _base32(device)
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


def _base32(device) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
@require_POST
def two_factor_start(request):
    try:
        services.totp_start(actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("accounts:two-factor")


@login_required
@require_POST
def two_factor_disable(request):
    form = PasswordConfirmForm(request.POST)
    try:
        services.totp_disable(actor=request.user, password=form.data.get("password", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:two-factor")


@login_required
@require_POST
def backup_codes(request):
    form = PasswordConfirmForm(request.POST)
    try:
        codes = services.backup_codes_regenerate(actor=request.user, password=form.data.get("password", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two-factor")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@login_required
def tokens(request):
    """The person's own API tokens; a new one is shown once, here, right after it is made."""
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        expires_at = form.cleaned_data["expires_at"]
        try:
            issued = services.token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"],
                                           scopes=form.cleaned_data["scopes"], expires_at=expires_at)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            form = TokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "issued": issued, "tokens": selectors.tokens_of(user=request.user),
        "scopes": TOKEN_SCOPES, "now": timezone.now(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get_for_user(user=request.user, pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:tokens")
