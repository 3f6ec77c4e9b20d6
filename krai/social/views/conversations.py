"""Pages of the community's conversations (``/community/messages/``) and of blocks (``/community/people/<id>/
block/``, ``/community/me/blocks/``). Only a conversation's current members see it: anybody else — staff and
superusers too — gets 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.social import services
from krai.social.forms_conversations import AddMemberForm, MessageForm, NewConversationForm
from krai.social.models import Conversation
from krai.social.selectors import conversations as selectors

MAX_CHOSEN = 49  # a group holds 50 with its author


def _label(conversation: Conversation, user_id: int, names: dict[int, str]) -> str:
    if conversation.title:
        return conversation.title
    others = [names.get(m.user_id, "") for m in getattr(conversation, "members", []) if m.user_id != user_id]
    return ", ".join(name for name in others if name) or pgettext("social", "Conversation")


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(user=request.user), 20).get_page(request.GET.get("page"))
    names = selectors.names({m.user_id for c in page for m in c.members})
    rows = [{"conversation": c, "label": _label(c, request.user.pk, names)} for c in page]
    return render(request, "social/conversations/inbox.html", {"page": page, "rows": rows})


def _conversation(request: HttpRequest, conversation: Conversation, *, form: MessageForm,
                  status: int = 200) -> HttpResponse:
    user = request.user
    before = request.GET.get("before") or None
    page = selectors.messages_of(user=user, conversation=conversation, before=before)
    if before is None and status == 200:
        services.conversation_read(actor=user, conversation=conversation)
    members = selectors.members(user=user, conversation=conversation)
    conversation.members = members
    names = selectors.names({m.user_id for m in members} | {m.sender_id for m in page.messages if m.sender_id})
    me = next(m for m in members if m.user_id == user.pk)
    is_group = conversation.kind == Conversation.Kind.GROUP
    query = request.GET.get("q", "").strip() if is_group and me.is_admin else ""
    found = selectors.recipients_search(user=user, query=query) if query else []
    member_ids = {m.user_id for m in members}
    return render(request, "social/conversations/conversation.html", {
        "conversation": conversation, "label": _label(conversation, user.pk, names), "page": page,
        "rows": [{"message": m, "sender": names.get(m.sender_id, "") if m.sender_id else _("Deleted account"),
                  "mine": m.sender_id == user.pk} for m in page.messages],
        "members": [{"participant": m, "name": names.get(m.user_id, "")} for m in members],
        "is_group": is_group, "is_admin": me.is_admin, "form": form, "query": query,
        "found": [p for p in found if p.user_id not in member_ids],
    }, status=status)


@login_required
@require_GET
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    return _conversation(request, selectors.conversation_get(user=request.user, pk=pk), form=MessageForm())


@login_required
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.conversation_get(user=request.user, pk=pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(actor=request.user, conversation=target, body=form.cleaned_data["body"])
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
            return _conversation(request, target, form=form, status=403)
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            return redirect(target.get_absolute_url() + "#latest")
    return _conversation(request, target, form=form, status=400)


@login_required
@require_POST
def conversation_leave(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.conversation_get(user=request.user, pk=pk)
    services.conversation_leave(actor=request.user, conversation=target)
    messages.success(request, _("You left the conversation."))
    return redirect("social:inbox")


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.conversation_get(user=request.user, pk=pk)
    form = AddMemberForm(request.POST)
    person = None
    if form.is_valid():
        person = get_user_model().objects.filter(pk=form.cleaned_data["user"]).first()
    if person is None:
        messages.error(request, _("Choose whom to add."))
        return redirect(target)
    try:
        services.participant_add(actor=request.user, conversation=target, user=person)
    except (PermissionDenied, ValidationError) as error:
        for text in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, text)
    else:
        messages.success(request, _("The member is added."))
    return redirect(target)


def _chosen(request: HttpRequest) -> dict[int, str]:
    ids = []
    for raw in request.GET.getlist("to") + request.POST.getlist("to"):
        try:
            pk = int(raw)
        except ValueError:
            continue
        if pk != request.user.pk and pk not in ids:
            ids.append(pk)
    active = set(get_user_model().objects.filter(pk__in=ids[:MAX_CHOSEN], is_active=True)
                 .values_list("pk", flat=True))
    names = selectors.names(active)
    return {pk: names[pk] for pk in ids if pk in active}


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request: HttpRequest) -> HttpResponse:
    people = _chosen(request)
    status = 200
    if request.method == "POST":
        form = NewConversationForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                started, _message = services.conversation_start(actor=request.user, recipients=data["to"],
                                                                body=data["body"], title=data["title"])
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not do this."))
                status = 403
            except ValidationError as error:
                service_errors_onto(form, error, aliases={"recipients": "to"})
                status = 400
            else:
                return redirect(started.get_absolute_url() + "#latest")
        else:
            status = 400
    else:
        form = NewConversationForm(initial={"to": list(people)}, people=people)
    query = request.GET.get("q", "").strip()
    found = [p for p in selectors.recipients_search(user=request.user, query=query) if p.user_id not in people]
    base = [("to", pk) for pk in people]
    results = [{"profile": p, "add": "?" + urlencode([*base, ("to", p.user_id)])} for p in found]
    return render(request, "social/conversations/new.html", {
        "form": form, "people": people, "query": query, "results": results, "searched": len(query) >= 2,
    }, status=status)


def _back_to_profile(user_id: int) -> str:
    try:
        return reverse("social:profile", args=[user_id])
    except NoReverseMatch:
        return reverse("social:blocks")


@login_required
@require_POST
def block(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=user_id)
    try:
        services.block_user(actor=request.user, user=person)
    except (PermissionDenied, ValidationError) as error:
        for text in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, text)
    else:
        messages.success(request, _("Blocked. You will not see each other's messages, publications or follows."))
    return redirect(_back_to_profile(person.pk))


@login_required
@require_POST
def unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=user_id)
    if services.unblock_user(actor=request.user, user=person):
        messages.success(request, _("Unblocked."))
    if request.POST.get("next") == "blocks":
        return redirect("social:blocks")
    return redirect(_back_to_profile(person.pk))


@login_required
@require_GET
def blocks(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.blocks_of(user=request.user), 50).get_page(request.GET.get("page"))
    names = selectors.names({b.blocked_id for b in page})
    rows = [{"block": b, "name": names.get(b.blocked_id, "")} for b in page]
    return render(request, "social/conversations/blocks.html", {"page": page, "rows": rows})


urlpatterns = [
    path("community/messages/", inbox, name="inbox"),
    path("community/messages/new/", conversation_new, name="conversation_new"),
    path("community/messages/<int:pk>/", conversation, name="conversation"),
    path("community/messages/<int:pk>/send/", message_send, name="message_send"),
    path("community/messages/<int:pk>/leave/", conversation_leave, name="conversation_leave"),
    path("community/messages/<int:pk>/members/", participant_add, name="participant_add"),
    path("community/people/<int:user_id>/block/", block, name="block"),
    path("community/people/<int:user_id>/unblock/", unblock, name="unblock"),
    path("community/me/blocks/", blocks, name="blocks"),
]
