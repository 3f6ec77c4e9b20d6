"""A deputy acting for a principal (``org.Deputyship``): the session's switch and the middleware that applies it.

A deputy whose deputyship is in force today switches his session to acting for the principal
(``krai.accounts.views.acting``). While the switch holds, :class:`ActingMiddleware` makes every request of that
session the principal's: ``request.user`` is the principal (his roles, scopes, lists and permissions), the deputy
stays in ``request.real_user``, and every event recorded while the request runs carries the deputy
(``krai.core.acting``), so the audit trail shows each thing done as done by him for the principal.

What the switch does not give: the principal's account itself (his profile, password, e-mail, tokens, second
factor: ``/accounts/`` and the accounts API, except logging out, the switch and the residence queue, which is the
principal's work) and ``/admin/``. A session of a deputy who has not passed a second factor never acts for someone
whose role requires one. A request authenticated with an API token is never switched: the switch belongs to the
session. The switch drops by itself, with a message, as soon as the deputyship is over or ended, and a log-in or
log-out clears it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.authentication import get_authorization_header

from krai.accounts.authentication import KEYWORDS
from krai.accounts.second_factor import PROVIDER_VERIFIED, required_for
from krai.core.acting import deputy_acting
from krai.org import deputies as selectors
from krai.org.models import Deputyship

#: the session's switch: {"deputyship": id, "deputy": id}
SESSION_KEY = "krai_acting"
#: what a session acting for someone may still open of accounts (logging out runs as the deputy himself)
ACCOUNTS_OPEN = frozenset({"accounts:acting", "accounts:acting-start", "accounts:acting-stop",
                           "accounts:residence-queue", "accounts:residence-review", "accounts:residence-decide"})
NOT_SWITCHED = frozenset({"accounts:logout"})


@dataclass
class ActingState:
    """What a page knows of acting (``request.acting``, read by the banner): the deputyship acted by, if any, and
    otherwise — for a member of staff's session — the deputyships he could switch to."""

    real_user: Any
    current: Deputyship | None = None
    session: bool = True  # False for a request authenticated with a token
    until: str = field(default="")

    @cached_property
    def offers(self) -> list[Deputyship]:
        user = self.real_user
        if self.current is not None or not self.session or not getattr(user, "is_staff", False):
            return []
        return selectors.acting_options(user)


def _token_request(request: HttpRequest) -> bool:
    parts = get_authorization_header(request).split()
    return bool(parts) and parts[0].lower() in KEYWORDS


def deputy_session_verified(request: HttpRequest, deputy: Any) -> bool:
    """Whether this session passed a second factor as ``deputy`` (like ``second_factor.session_verified``, but for
    the real user whoever ``request.user`` is now)."""
    is_verified = getattr(deputy, "is_verified", None)
    if callable(is_verified) and is_verified():
        return True
    return request.session.get(PROVIDER_VERIFIED) == deputy.pk


def may_switch(request: HttpRequest, deputy: Any, deputyship: Deputyship) -> bool:
    """The second-factor rule of the switch: someone whose role (or the deputy's own) requires a second factor is
    acted for only from a session that passed one."""
    if deputy_session_verified(request, deputy):
        return True
    return not (required_for(deputyship.principal) or required_for(deputy))


def switch_on(request: HttpRequest, deputyship: Deputyship) -> None:
    request.session[SESSION_KEY] = {"deputyship": deputyship.pk, "deputy": deputyship.deputy_id}


def switch_off(request: HttpRequest) -> dict[str, Any] | None:
    return request.session.pop(SESSION_KEY, None)


def _view_name(request: HttpRequest) -> tuple[str, str]:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "", ""
    return match.view_name, getattr(match.func, "__module__", "") or ""


def _refusal(view_name: str, module: str) -> str | None:
    """Why a session acting for someone may not open this, or None."""
    if view_name.startswith("admin:"):
        return _("Stop acting for someone before you open the administration site.")
    if view_name in ACCOUNTS_OPEN:
        return None
    if view_name.startswith("accounts:") or module.startswith("krai.accounts."):
        return _("You are acting for someone: his account (profile, password, e-mail, tokens, second factor) is not "
                 "yours to change. Stop acting for him first.")
    return None


class ActingMiddleware:
    """Applies a deputy's switch to each request of his session (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        real = getattr(request, "user", None)  # still lazy: a request without a switch loads nothing more
        request.real_user = real
        token = _token_request(request)
        request.acting = ActingState(real_user=real, session=not token)
        session = getattr(request, "session", None)
        stored = session.get(SESSION_KEY) if session is not None and not token else None
        if not stored or real is None or not real.is_authenticated:
            return self.get_response(request)
        deputyship = self._in_force(request, real, stored)
        if deputyship is None:
            return self.get_response(request)
        view_name, module = _view_name(request)
        if view_name in NOT_SWITCHED:
            return self.get_response(request)
        self._become(request, real, deputyship)
        refusal = _refusal(view_name, module)
        if refusal is not None:
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"status": 403, "code": "acting", "message": refusal}}, status=403)
            raise PermissionDenied(refusal)
        with deputy_acting(real.pk):
            return self.get_response(request)

    @staticmethod
    def _in_force(request: HttpRequest, real: Any, stored: Any) -> Deputyship | None:
        """The deputyship the switch names if the deputy may still act by it; else the switch drops, with a
        message."""
        pk = stored.get("deputyship") if isinstance(stored, dict) else None
        deputyship = selectors.acting_in_force(deputy=real, pk=pk) if pk is not None else None
        if deputyship is not None and may_switch(request, real, deputyship):
            return deputyship
        switch_off(request)
        ended = Deputyship.objects.select_related("principal").filter(pk=pk, deputy_id=real.pk).first() \
            if str(pk).isdigit() else None
        name = ended.principal.short_name if ended is not None else ""
        if deputyship is not None:
            messages.warning(request, _("Acting for %(name)s needs a session confirmed with a second factor: log "
                                        "in again with it.") % {"name": name})
        else:
            messages.info(request, _("Your deputyship for %(name)s is over or has been ended: you act for "
                                     "yourself again.") % {"name": name} if name else
                          _("Your deputyship is over: you act for yourself again."))
        return None

    @staticmethod
    def _become(request: HttpRequest, real: Any, deputyship: Deputyship) -> None:
        """Make the request the principal's, answering ``is_verified()`` as the deputy's session does."""
        principal = deputyship.principal
        verified = deputy_session_verified(request, real)
        principal.otp_device = getattr(real, "otp_device", None)
        principal.is_verified = lambda: verified
        request.user = principal

        async def auser() -> Any:
            return principal

        request.auser = auser
        request.acting.current = deputyship
        request.acting.until = formats.date_format(deputyship.ends_on, "d.m.Y")


@receiver(user_logged_in, dispatch_uid="krai-acting-login")
@receiver(user_logged_out, dispatch_uid="krai-acting-logout")
def _forget_switch(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A log-in or a log-out starts the session acting for the person himself."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
