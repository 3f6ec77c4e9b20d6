"""Logging in (password, then the second factor when the person has one), registering, confirming the e-mail."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_ratelimit.decorators import ratelimit

from krai.accounts import selectors, services
from krai.accounts.forms import CodeForm, EmailForm, LoginForm, RegistrationForm, ResetForm
from krai.accounts.second_factor import MODEL_BACKEND, PENDING, PROVIDER_VERIFIED, pending_start
from krai.accounts.views._common import errors_onto

PENDING_SECONDS = 300
PENDING_ATTEMPTS = 5


class LoginView(auth_views.LoginView):
    """E-mail and password; a person with an authenticator is asked for its code on a second page."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = selectors.providers_active()
        return context

    def form_valid(self, form):
        user = form.get_user()
        # a password log-in has not passed a provider's second factor, whatever this session did before
        self.request.session.pop(PROVIDER_VERIFIED, None)
        if not services.has_two_factor(user):
            # a role that requires a second factor is then held at its setup (second_factor.py)
            return super().form_valid(form)
        return pending_start(self.request, user=user, backend=getattr(user, "backend", MODEL_BACKEND),
                             next_url=self.get_success_url())


@method_decorator(ratelimit(key="ip", rate="30/m", method="POST", block=True), name="post")
class LoginVerifyView(TemplateView):
    """The second step: the code of the authenticator, or one of the backup codes."""

    template_name = "accounts/login_verify.html"

    def _pending(self):
        pending = self.request.session.get(PENDING)
        if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
            self.request.session.pop(PENDING, None)
            return None
        return pending

    def get(self, request, *args, **kwargs):
        if self._pending() is None:
            messages.info(request, _("Log in again: the time to enter the code has run out."))
            return redirect("accounts:login")
        return render(request, self.template_name, {"form": CodeForm()})

    def post(self, request, *args, **kwargs):
        pending = self._pending()
        if pending is None:
            messages.info(request, _("Log in again: the time to enter the code has run out."))
            return redirect("accounts:login")
        form = CodeForm(request.POST)
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
        device = services.second_factor_verify(user=user, code=form.data.get("code", "")) if user else None
        if device is None:
            pending["attempts"] = pending.get("attempts", 0) + 1
            if pending["attempts"] >= PENDING_ATTEMPTS:
                request.session.pop(PENDING, None)
                messages.error(request, _("Too many wrong codes. Log in again."))
                return redirect("accounts:login")
            request.session[PENDING] = pending
            form.is_valid()
            form.add_error("code", _("The code is wrong."))
            return render(request, self.template_name, {"form": form}, status=400)
        request.session.pop(PENDING, None)
        auth_login(request, user, backend=pending["backend"])
        otp_login(request, device)
        return HttpResponseRedirect(pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))


@ratelimit(group="accounts.register", key="ip", rate="10/h", method="POST", block=True)
def register(request):
    """A resident opens an account; he is logged in and asked to confirm the e-mail."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.resident_register(
                email=data["email"], password=data["password"], password_again=data["password_again"],
                surname=data["surname"], given_name=data["given_name"], patronymic=data["patronymic"],
                phone=data["phone"], home_municipality=data["home_municipality"], consent=data["consent"],
                language=get_language() or "")
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            auth_login(request, user, backend=MODEL_BACKEND)
            return redirect("accounts:registered")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register.html", {"form": form, "providers": selectors.providers_active()},
                  status=status)


def registered(request):
    return render(request, "accounts/registered.html")


def confirm(request, token: str):
    """The link from the e-mail; opening it again after success is harmless."""
    try:
        user = services.email_confirm(token=token)
    except ValidationError as exc:
        return render(request, "accounts/confirm_failed.html",
                      {"message": exc.messages[0], "expired": exc.code == "expired"}, status=400)
    return render(request, "accounts/confirmed.html", {"confirmed_user": user})


@require_POST
@ratelimit(key="ip", rate="5/h", method="POST", block=True)
def resend(request):
    """Send the confirmation link again: to the logged-in person, or to an e-mail typed in (same answer either way)."""
    if request.user.is_authenticated:
        services.confirmation_send(user=request.user)
    else:
        form = EmailForm(request.POST)
        if form.is_valid():
            user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if user is not None:
                services.confirmation_send(user=user)
    messages.success(request, _("If the account exists and is not yet confirmed, a new link is on its way."))
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


def resend_form(request):
    return render(request, "accounts/resend.html", {"form": EmailForm()})


@method_decorator(ratelimit(key="ip", rate="5/h", method="POST", block=True), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)
