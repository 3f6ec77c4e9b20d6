"""Log-ins, log-outs and failed log-ins go to the audit trail as they happen (they are not domain events)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from krai.core.audit import services


@receiver(user_logged_in, dispatch_uid="krai.audit.login")
def on_login(sender, request, user, **kwargs) -> None:
    services.record_auth(kind="auth.login", user=user, request=request)


@receiver(user_logged_out, dispatch_uid="krai.audit.logout")
def on_logout(sender, request, user, **kwargs) -> None:
    services.record_auth(kind="auth.logout", user=user, request=request)


@receiver(user_login_failed, dispatch_uid="krai.audit.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked secrets in ``credentials``; only the name tried is kept.
    username = str(credentials.get("username") or credentials.get("email") or "")
    services.record_auth(kind="auth.login_failed", request=request, username=username)
