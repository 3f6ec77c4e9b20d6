"""API of the community's content under /api/v1/social/:

* ``publications/`` — GET the public timeline (``?topic=<code>``, ``?author=<user id>``, ``?before=<cursor>``,
  ``?limit=``), POST a publication (JSON, or multipart with ``photos`` files);
* ``publications/{id}/`` — GET one (with the cards of its links), PATCH one's own, DELETE one's own;
* ``feed/`` — GET the signed-in user's feed.

Lists are read by keyset: each answer carries ``next_before`` (and ``next``, the URL of the older page) while
there is more. Refusals come in the one error format; a banned author gets 400 with the ban's message; too many
publications give 429.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.social import services
from krai.social.models import Topic
from krai.social.models.content import AUDIENCES
from krai.social.selectors import content as selectors
from krai.social.selectors import feed as feeds
from krai.social.services.content import MAX_BODY, RateLimited

ERRORS = {
    400: OpenApiResponse(description='Invalid input or a banned author: {"error": {"status", "code", "message", '
                                     '"fields"}}'),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Not allowed; the message says why"),
    404: OpenApiResponse(description="Missing, or not visible to the caller (the same answer)"),
    429: OpenApiResponse(description="Too many publications in a short time"),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class CardOut(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    status = serializers.CharField()


class PhotoOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField()


class PublicationOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.DictField()
    body = serializers.CharField(help_text="Personal data masked for all but the author")
    audience = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    links = serializers.ListField(child=serializers.CharField())
    cards = CardOut(many=True, help_text="Only in the answer about one publication")
    photos = PhotoOut(many=True)
    comments_closed = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    hidden = serializers.BooleanField()
    url = serializers.CharField()


class PageOut(serializers.Serializer):
    results = PublicationOut(many=True)
    next_before = serializers.CharField(allow_null=True)
    next = serializers.CharField(allow_null=True)


class PublicationIn(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_BODY, trim_whitespace=False)
    audience = serializers.ChoiceField(choices=AUDIENCES, default="public")
    topics = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20,
                                   help_text="Topic codes")
    comments_closed = serializers.BooleanField(required=False, default=False)


def _out(item: selectors.Shown) -> dict[str, Any]:
    p = item.publication
    return {
        "id": p.pk, "author": {"id": p.author_id, "name": item.author_name}, "body": item.text,
        "audience": p.audience, "topics": [t.code for t in item.topics], "links": list(p.links or []),
        "cards": [{"kind": str(c.kind), "title": c.title, "url": c.url, "status": str(c.status)} for c in item.cards],
        "photos": [{"id": ph.pk, "url": url, "width": ph.width, "height": ph.height, "caption": ph.caption}
                   for ph, url in item.photos],
        "comments_closed": p.comments_closed, "created_at": p.created_at, "edited_at": p.edited_at,
        "hidden": p.is_hidden, "url": p.get_absolute_url(),
    }


def _topics(codes: list[str] | None) -> list[Topic] | None:
    if codes is None:
        return None
    found = list(Topic.objects.filter(code__in=set(codes), is_active=True))
    if len(found) != len(set(codes)):
        raise exceptions.ValidationError({"topics": [_("Choose topics from the list.")]})
    return found


class ContentView(APIView):
    """Base: service refusals keep their messages; a rate limit answers 429."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RateLimited):
            exc = exceptions.Throttled(detail=exc.messages[0])
        elif isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)

    def shown(self, publications: list, *, with_cards: bool = False) -> list[dict[str, Any]]:
        return [_out(item) for item in selectors.shown(publications, self.request.user, with_cards=with_cards)]

    def page(self, request: Request, page: feeds.Page) -> Response:
        nxt = None
        if page.next_before is not None:
            query = {k: v for k, v in request.query_params.items() if k != "before"}
            query["before"] = str(page.next_before)
            nxt = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
        return Response({"results": self.shown(page.items), "next_before": str(page.next_before or "") or None,
                         "next": nxt})


def _limit(request: Request) -> int:
    try:
        return int(request.query_params.get("limit", 20))
    except ValueError:
        return 20


class Publications(ContentView):
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(operation_id="social_publications_list", responses={200: PageOut, **_errors(404)},
                   parameters=[OpenApiParameter("topic", str), OpenApiParameter("author", int),
                               OpenApiParameter("before", str), OpenApiParameter("limit", int)],
                   summary="The public timeline as the caller may see it, newest first")
    def get(self, request: Request) -> Response:
        before = feeds.parse_before(request.query_params.get("before"))
        code = request.query_params.get("topic")
        if code:
            page = feeds.topic_feed(user=request.user, topic=selectors.topic_get(code=code), before=before,
                                    limit=_limit(request))
        else:
            author = request.query_params.get("author")
            if author is not None and not author.isdigit():
                raise exceptions.ValidationError({"author": [_("Give a user's number.")]})
            page = feeds.public_timeline(user=request.user, before=before, limit=_limit(request),
                                         author=int(author) if author else None)
        return self.page(request, page)

    @extend_schema(operation_id="social_publications_create", request=PublicationIn,
                   responses={201: PublicationOut, **_errors(400, 401, 403, 429)},
                   summary="Publish (multipart with photos files, or JSON without photos)")
    def post(self, request: Request) -> Response:
        serializer = PublicationIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        photos = request.FILES.getlist("photos") if hasattr(request.FILES, "getlist") else []
        publication = services.publication_create(
            actor=request.user, body=data["body"], audience=data["audience"], topics=_topics(data.get("topics")) or [],
            photos=photos, comments_closed=data.get("comments_closed", False))
        return Response(self.shown([publication], with_cards=True)[0], status=status.HTTP_201_CREATED)


class PublicationDetail(ContentView):
    @extend_schema(operation_id="social_publications_retrieve", responses={200: PublicationOut, **_errors(404)},
                   summary="One publication, with the cards of its links")
    def get(self, request: Request, pk: int) -> Response:
        publication = selectors.publication_get(user=request.user, pk=pk)
        return Response(self.shown([publication], with_cards=True)[0])

    @extend_schema(operation_id="social_publications_partial_update", request=PublicationIn(partial=True),
                   responses={200: PublicationOut, **_errors(400, 401, 403, 404)},
                   summary="Change one's own publication")
    def patch(self, request: Request, pk: int) -> Response:
        publication = selectors.publication_get(user=request.user, pk=pk)
        serializer = PublicationIn(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        if "topics" in data:
            data["topics"] = _topics(data["topics"])
        publication = services.publication_edit(actor=request.user, publication=publication, **data)
        return Response(self.shown([publication], with_cards=True)[0])

    @extend_schema(operation_id="social_publications_destroy", responses={204: None, **_errors(401, 403, 404)},
                   summary="Delete one's own publication")
    def delete(self, request: Request, pk: int) -> Response:
        publication = selectors.publication_get(user=request.user, pk=pk)
        services.publication_delete(actor=request.user, publication=publication)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Feed(ContentView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="social_feed", responses={200: PageOut, **_errors(401)},
                   parameters=[OpenApiParameter("before", str), OpenApiParameter("limit", int)],
                   summary="The caller's feed: followed people and topics, and his own publications")
    def get(self, request: Request) -> Response:
        page = feeds.feed(user=request.user, before=feeds.parse_before(request.query_params.get("before")),
                          limit=_limit(request))
        return self.page(request, page)


urlpatterns = [
    path("social/publications/", Publications.as_view(), name="social-publications"),
    path("social/publications/<int:pk>/", PublicationDetail.as_view(), name="social-publication"),
    path("social/feed/", Feed.as_view(), name="social-feed"),
]
