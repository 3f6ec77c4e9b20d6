"""API of comments: ``/api/v1/comments/?target_type=&target_id=`` (GET the thread, POST a comment), edit, hide."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.comments import selectors, services
from krai.core.comments.models import Comment
from krai.core.files import selectors as targets


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        getter = getattr(user, "get_short_name", None)
        return (getter() if callable(getter) else "") or str(user)


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    target_type = serializers.CharField()
    target_id = serializers.CharField(source="object_id")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    depth = serializers.IntegerField()
    author = AuthorSerializer(allow_null=True)
    body = serializers.CharField(help_text="Plain text; empty when hidden from the caller.")
    is_hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    can_edit = serializers.BooleanField(default=False)
    can_hide = serializers.BooleanField(default=False)


class NewCommentSerializer(serializers.Serializer):
    target_type = serializers.CharField()
    target_id = serializers.CharField(max_length=64)
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True)


class EditSerializer(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)


class HideSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")
    hidden = serializers.BooleanField(default=True, help_text="false restores a hidden comment")


def _shown(request, comment: Comment) -> dict:
    """The serialised comment as the caller sees it (the same rules as in the thread)."""
    for item in selectors.comments_for(user=request.user, target=comment.target):
        if item.pk == comment.pk:
            return CommentSerializer(item).data
    own = comment.author_id is not None and comment.author_id == getattr(request.user, "pk", None)
    return CommentSerializer(selectors.ShownComment(comment=comment, show_body=not comment.is_hidden or own,
                                                    can_edit=False, can_hide=False, as_written=own)).data


def _call(function, **kwargs):
    try:
        return function(**kwargs)
    except services.RateLimited as error:
        raise Throttled(detail=error.messages[0]) from None
    except DjangoPermissionDenied as error:
        raise PermissionDenied(detail=str(error) or None) from None


class CommentList(APIView):
    """GET: the thread of one object in reading order. POST: write a comment (``parent`` for a reply).

    Reading follows the object's visibility; writing needs ``comments.add_comment`` on it (by default a
    confirmed resident). At most ``KRAI_COMMENTS_RATE`` comments per person (429 beyond).
    """

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(parameters=[OpenApiParameter("target_type", OpenApiTypes.STR, required=True),
                               OpenApiParameter("target_id", OpenApiTypes.STR, required=True)],
                   responses=CommentSerializer(many=True))
    def get(self, request):
        target = targets.resolve_target(request.query_params.get("target_type"),
                                        request.query_params.get("target_id"), user=request.user)
        return Response(CommentSerializer(selectors.comments_for(user=request.user, target=target), many=True).data)

    @extend_schema(request=NewCommentSerializer, responses={201: CommentSerializer})
    def post(self, request):
        form = NewCommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        target = targets.resolve_target(data["target_type"], data["target_id"], user=request.user)
        parent = None
        if data.get("parent"):
            parent = Comment.objects.filter(pk=data["parent"]).first()
            if parent is None:
                raise serializers.ValidationError({"parent": [_("That comment no longer exists.")]})
        comment = _call(services.comment_add, actor=request.user, target=target, body=data["body"], parent=parent)
        return Response(_shown(request, comment), status=status.HTTP_201_CREATED)


class CommentDetail(APIView):
    """GET one comment; PATCH ``{"body"}`` edits one's own."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=CommentSerializer)
    def get(self, request, pk: int):
        return Response(_shown(request, selectors.comment_get_for_user(user=request.user, pk=pk)))

    @extend_schema(request=EditSerializer, responses=CommentSerializer)
    def patch(self, request, pk: int):
        comment = selectors.comment_get_for_user(user=request.user, pk=pk)
        form = EditSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        comment = _call(services.comment_edit, actor=request.user, comment=comment, body=form.validated_data["body"])
        return Response(_shown(request, comment))


class CommentHide(APIView):
    """Moderators: ``{"reason"}`` hides a comment, ``{"hidden": false}`` shows it again."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=HideSerializer, responses=CommentSerializer)
    def post(self, request, pk: int):
        comment = selectors.comment_get_for_user(user=request.user, pk=pk)
        form = HideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if form.validated_data["hidden"]:
            comment = _call(services.comment_hide, actor=request.user, comment=comment,
                            reason=form.validated_data["reason"])
        else:
            comment = _call(services.comment_restore, actor=request.user, comment=comment)
        return Response(_shown(request, comment))


urlpatterns = [
    path("comments/", CommentList.as_view(), name="comment-list"),
    path("comments/<int:pk>/", CommentDetail.as_view(), name="comment-detail"),
    path("comments/<int:pk>/hide/", CommentHide.as_view(), name="comment-hide"),
]
