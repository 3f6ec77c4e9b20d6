"""API of the community's conversations and blocks: /api/v1/social/conversations/ (GET the inbox, POST start),
…/conversations/{id}/ (GET), …/{id}/messages/ (GET keyset pages, POST send), …/{id}/read/ (POST),
…/{id}/leave/ (POST), …/{id}/members/ (POST add), /api/v1/social/blocks/ (GET mine, POST) and
…/blocks/{user_id}/ (DELETE). A conversation is 404 for anyone but its current members, staff included."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.social import services
from krai.social.models import Conversation, Message, Participant
from krai.social.selectors import conversations as selectors
from krai.social.services.conversations import MAX_BODY


class ChatPersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ChatMemberOut(ChatPersonOut):
    is_admin = serializers.BooleanField()
    joined_at = serializers.DateTimeField()


class ChatConversationOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Conversation.Kind.choices)
    title = serializers.CharField()
    members = ChatMemberOut(many=True)
    unread = serializers.IntegerField()
    last_message_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ChatMessageOut(serializers.Serializer):
    id = serializers.IntegerField()
    sender = ChatPersonOut(allow_null=True)
    body = serializers.CharField(help_text="Empty when a moderator hid the message (except for its sender).")
    is_hidden = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class ChatMessagePageOut(serializers.Serializer):
    results = ChatMessageOut(many=True)
    earlier = serializers.IntegerField(allow_null=True, help_text="Pass as ?before= for the earlier messages.")


class ChatStartIn(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=49)
    body = serializers.CharField(max_length=MAX_BODY, trim_whitespace=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ChatStartOut(serializers.Serializer):
    conversation = ChatConversationOut()
    message = ChatMessageOut()


class ChatSendIn(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_BODY, trim_whitespace=False)


class ChatUserIn(serializers.Serializer):
    user = serializers.IntegerField(min_value=1)


class UserBlockOut(serializers.Serializer):
    user = ChatPersonOut()
    created_at = serializers.DateTimeField()


def _member(p: Participant, names: dict[int, str]) -> dict[str, Any]:
    return {"id": p.user_id, "name": names.get(p.user_id, ""), "is_admin": p.is_admin, "joined_at": p.joined_at}


def _conversations(rows: list[Conversation]) -> list[dict[str, Any]]:
    names = selectors.names({m.user_id for c in rows for m in c.members})
    return [{"id": c.pk, "kind": c.kind, "title": c.title, "members": [_member(m, names) for m in c.members],
             "unread": c.unread, "last_message_at": c.last_message_at, "created_at": c.created_at} for c in rows]


def _messages(rows: list[Message], user: Any) -> list[dict[str, Any]]:
    names = selectors.names({m.sender_id for m in rows if m.sender_id})
    return [{"id": m.pk, "sender": {"id": m.sender_id, "name": names.get(m.sender_id, "")} if m.sender_id else None,
             "body": "" if m.hidden_at and m.sender_id != user.pk else m.body, "is_hidden": m.hidden_at is not None,
             "created_at": m.created_at} for m in rows]


class Base(APIView):
    """Signed-in callers; the services' refusals keep their message, too many messages answer 429."""

    permission_classes = [permissions.IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.MessagesRateLimited):
            exc = exceptions.Throttled(detail=exc.messages[0])
        elif isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)

    def body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def conversation(self, pk: int) -> Conversation:
        return selectors.conversation_get(user=self.request.user, pk=pk)

    def one(self, conversation: Conversation) -> dict[str, Any]:
        row = selectors.inbox(user=self.request.user).filter(pk=conversation.pk).first()
        if row is None:
            raise Http404
        return _conversations([row])[0]


class Conversations(Base):
    @extend_schema(operation_id="social_conversations_list", responses=ChatConversationOut(many=True),
                   summary="My conversations, newest message first, with unread counts (paged)")
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.inbox(user=request.user), request, view=self)
        return paginator.get_paginated_response(_conversations(page))

    @extend_schema(operation_id="social_conversations_create", request=ChatStartIn, responses={201: ChatStartOut},
                   summary="Write to one person (the direct conversation, reused) or to several (a group, title "
                           "required)")
    def post(self, request):
        data = self.body(ChatStartIn)
        started, message = services.conversation_start(actor=request.user, recipients=data["recipients"],
                                                       body=data["body"], title=data["title"])
        return Response({"conversation": self.one(started), "message": _messages([message], request.user)[0]},
                        status=status.HTTP_201_CREATED)


class ConversationDetail(Base):
    @extend_schema(operation_id="social_conversations_retrieve", responses=ChatConversationOut,
                   summary="One of my conversations")
    def get(self, request, pk: int):
        return Response(self.one(self.conversation(pk)))


class Messages(Base):
    @extend_schema(operation_id="social_messages_list", responses=ChatMessagePageOut,
                   parameters=[OpenApiParameter("before", OpenApiTypes.INT, description="a message id"),
                               OpenApiParameter("limit", OpenApiTypes.INT, description="1–200, 50 by default")],
                   summary="The latest messages before ?before=, oldest to newest")
    def get(self, request, pk: int):
        try:
            limit = int(request.query_params.get("limit") or 50)
        except ValueError:
            raise exceptions.ValidationError({"limit": [_("Give a whole number.")]}) from None
        page = selectors.messages_of(user=request.user, conversation=self.conversation(pk),
                                     before=request.query_params.get("before"), limit=limit)
        return Response({"results": _messages(page.messages, request.user), "earlier": page.earlier})

    @extend_schema(operation_id="social_messages_create", request=ChatSendIn, responses={201: ChatMessageOut},
                   summary="Send a message")
    def post(self, request, pk: int):
        target = self.conversation(pk)
        message = services.message_send(actor=request.user, conversation=target, body=self.body(ChatSendIn)["body"])
        return Response(_messages([message], request.user)[0], status=status.HTTP_201_CREATED)


class Read(Base):
    @extend_schema(operation_id="social_conversations_read", request=None, responses={204: None},
                   summary="Mark the conversation read")
    def post(self, request, pk: int):
        services.conversation_read(actor=request.user, conversation=self.conversation(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class Leave(Base):
    @extend_schema(operation_id="social_conversations_leave", request=None, responses={204: None},
                   summary="Leave the conversation")
    def post(self, request, pk: int):
        services.conversation_leave(actor=request.user, conversation=self.conversation(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class Members(Base):
    @extend_schema(operation_id="social_conversations_members_create", request=ChatUserIn,
                   responses={201: ChatMemberOut}, summary="Add a member to a group conversation (its admins)")
    def post(self, request, pk: int):
        target = self.conversation(pk)
        person = get_user_model().objects.filter(pk=self.body(ChatUserIn)["user"]).first()
        if person is None:
            raise exceptions.ValidationError({"user": [_("No such person.")]})
        added = services.participant_add(actor=request.user, conversation=target, user=person)
        return Response(_member(added, selectors.names({added.user_id})), status=status.HTTP_201_CREATED)


class Blocks(Base):
    @extend_schema(operation_id="social_blocks_list", responses=UserBlockOut(many=True), summary="Whom I blocked")
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.blocks_of(user=request.user), request, view=self)
        names = selectors.names({b.blocked_id for b in page})
        return paginator.get_paginated_response([
            {"user": {"id": b.blocked_id, "name": names.get(b.blocked_id, "")}, "created_at": b.created_at}
            for b in page])

    @extend_schema(operation_id="social_blocks_create", request=ChatUserIn, responses={201: UserBlockOut},
                   summary="Block a person: no messages or follows between you")
    def post(self, request):
        person = get_user_model().objects.filter(pk=self.body(ChatUserIn)["user"]).first()
        if person is None:
            raise exceptions.ValidationError({"user": [_("No such person.")]})
        block = services.block_user(actor=request.user, user=person)
        return Response({"user": {"id": person.pk, "name": selectors.names({person.pk}).get(person.pk, "")},
                         "created_at": block.created_at}, status=status.HTTP_201_CREATED)


class BlockDetail(Base):
    @extend_schema(operation_id="social_blocks_destroy", responses={204: None}, summary="Unblock a person")
    def delete(self, request, user_id: int):
        if not services.unblock_user(actor=request.user, user=user_id):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


C = "social/conversations/<int:pk>/"

urlpatterns = [
    path("social/conversations/", Conversations.as_view(), name="social-conversations"),
    path(C, ConversationDetail.as_view(), name="social-conversation"),
    path(C + "messages/", Messages.as_view(), name="social-conversation-messages"),
    path(C + "read/", Read.as_view(), name="social-conversation-read"),
    path(C + "leave/", Leave.as_view(), name="social-conversation-leave"),
    path(C + "members/", Members.as_view(), name="social-conversation-members"),
    path("social/blocks/", Blocks.as_view(), name="social-blocks"),
    path("social/blocks/<int:user_id>/", BlockDetail.as_view(), name="social-block"),
]
