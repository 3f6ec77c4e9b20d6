"""The comment thread's endpoints for pages: htmx posts answer with the re-rendered thread.

``{% comments_for object %}`` (``krai_comments``) renders the thread; its forms post here. Without htmx
(no JavaScript) the same posts redirect back to the page they came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from krai.core.comments import selectors, services
from krai.core.comments.models import Comment
from krai.core.files import selectors as targets


def thread_context(request, target, *, errors: dict | None = None, body: str = "") -> dict:
    user = request.user
    return {
        "target": target, "target_type": targets.target_label(target),
        "comments": selectors.comments_for(user=user, target=target),
        "can_comment": selectors.can_comment(user, target),
        "max_depth": services.max_depth(), "max_length": services.max_length(),
        "errors": errors or {}, "body": body, "request": request,
        "dom_id": f"comments-{targets.target_label(target).replace('.', '-')}-{target.pk}",
    }


def _back(request) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return "/"


def _answer(request, target, *, errors: dict | None = None, body: str = "", done: str = ""):
    if request.htmx:
        return render(request, "comments/_thread.html", thread_context(request, target, errors=errors, body=body))
    for messages_ in (errors or {}).values():
        for message in messages_:
            messages.error(request, message)
    if done and not errors:
        messages.success(request, done)
    return redirect(_back(request))


def _errors(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"body": error.messages}


@require_http_methods(["GET", "POST"])
def thread(request, target_type: str, target_id: str):
    """GET: the thread (a fragment for htmx, else the page); POST: add a comment or a reply."""
    try:
        target = targets.resolve_target(target_type, target_id, user=request.user)
    except ValidationError:
        raise Http404 from None
    if request.method == "GET":
        if not selectors.can_read(request.user, target):
            raise PermissionDenied
        template = "comments/_thread.html" if request.htmx else "comments/thread_page.html"
        return render(request, template, thread_context(request, target))
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={_back(request)}")
    body = request.POST.get("body", "")
    parent = None
    if request.POST.get("parent"):
        parent = Comment.objects.filter(pk=_int(request.POST["parent"])).first()
        if parent is None:
            return _answer(request, target, errors={"parent": [_("That comment no longer exists.")]}, body=body)
    try:
        services.comment_add(actor=request.user, target=target, body=body, parent=parent)
    except ValidationError as error:
        return _answer(request, target, errors=_errors(error), body=body)
    except PermissionDenied:
        return _answer(request, target, errors={"body": [_("You may not comment here.")]}, body=body)
    return _answer(request, target, done=_("Your comment is published."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
@require_POST
def edit(request, pk: int):
    comment = selectors.comment_get_for_user(user=request.user, pk=pk)
    try:
        services.comment_edit(actor=request.user, comment=comment, body=request.POST.get("body", ""))
    except ValidationError as error:
        return _answer(request, comment.target, errors=_errors(error))
    except PermissionDenied:
        return _answer(request, comment.target, errors={"body": [_("You may not edit this comment.")]})
    return _answer(request, comment.target, done=_("The comment is changed."))


@login_required
@require_POST
def hide(request, pk: int):
    comment = selectors.comment_get_for_user(user=request.user, pk=pk)
    try:
        if request.POST.get("restore"):
            services.comment_restore(actor=request.user, comment=comment)
        else:
            services.comment_hide(actor=request.user, comment=comment, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        return _answer(request, comment.target, errors=_errors(error))
    except PermissionDenied:
        return _answer(request, comment.target, errors={"reason": [_("Only moderators may hide comments.")]})
    return _answer(request, comment.target, done=_("Done."))
